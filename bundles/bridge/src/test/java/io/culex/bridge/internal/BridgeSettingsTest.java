package io.culex.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.netty.handler.codec.mqtt.MqttVersion;

class BridgeSettingsTest {

    private static Map<String, Object> minimal() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("connection", "up");
        properties.put("address", new String[] {"broker:8883", "backup"});
        properties.put("topic", new String[] {"sensors/# out 1 \"\" \"\""});
        properties.put("service.pid", "io.culex.bridge~1");
        properties.put("culex.source", "/etc/culex.conf:12");
        return properties;
    }

    @Test
    void unsetOptionsTakeMosquittosDefaults() {
        BridgeSettings settings = BridgeSettings.from(minimal(), "host");
        assertEquals(List.of(new RemoteAddress("broker", 8883), new RemoteAddress("backup", 1883)),
                settings.addresses());
        assertEquals("host.up", settings.remoteClientId());
        assertEquals("local.host.up", settings.localClientId());
        assertEquals("$SYS/broker/connection/host.up/state", settings.notificationTopic());
        assertFalse(settings.cleanSession());
        assertEquals(MqttVersion.MQTT_3_1_1, settings.protocolVersion());
        assertTrue(settings.tryPrivate());
        assertTrue(settings.marksConnectPrivate());
        assertTrue(settings.notifications());
        assertEquals(60, settings.keepaliveSeconds());
        assertEquals(5, settings.restartBaseSeconds());
        assertEquals(30, settings.restartCapSeconds());
        assertEquals(BridgeSettings.StartType.AUTOMATIC, settings.startType());
        assertTrue(settings.outgoingRetain());
        assertTrue(settings.attemptUnsubscribe());
        assertNull(settings.tls());
        assertEquals("/etc/culex.conf:12", settings.source());
    }

    @Test
    void theConfigBundlesTypedValues() {
        Map<String, Object> properties = minimal();
        properties.put("remote_clientid", "edge-1");
        properties.put("cleansession", true);
        properties.put("bridge_protocol_version", "mqttv50");
        properties.put("keepalive_interval", 5);
        properties.put("restart_timeout", new Integer[] {10});
        properties.put("start_type", "once");
        properties.put("notification_topic", "bridges/edge");
        BridgeSettings settings = BridgeSettings.from(properties, "host");
        assertEquals("edge-1", settings.remoteClientId());
        assertTrue(settings.cleanSession());
        assertTrue(settings.localCleanSession(), "local_cleansession follows cleansession unless set");
        assertTrue(settings.isV5());
        assertFalse(settings.marksConnectPrivate(), "MQTT 5 uses no local instead of the protocol flag");
        assertEquals(10, settings.restartBaseSeconds());
        assertEquals(0, settings.restartCapSeconds(), "one value: constant");
        assertEquals(BridgeSettings.StartType.ONCE, settings.startType());
        assertEquals("bridges/edge", settings.notificationTopic());
    }

    @Test
    void anAdministratorsStringValues() {
        Map<String, Object> properties = minimal();
        properties.put("address", "broker:1884 other:1885");
        properties.put("topic", List.of("a/# both 2", "b in"));
        properties.put("try_private", "false");
        properties.put("restart_timeout", new String[] {"2", "20"});
        BridgeSettings settings = BridgeSettings.from(properties, "host");
        assertEquals(2, settings.addresses().size());
        assertEquals(2, settings.topics().size());
        assertFalse(settings.tryPrivate());
        assertEquals(20, settings.restartCapSeconds());
    }

    @Test
    void anUnknownOptionIsAnErrorNotIgnored() {
        Map<String, Object> properties = minimal();
        properties.put("bridge_psk", "abcd");
        assertEquals("Unknown or unsupported bridge option bridge_psk",
                assertThrows(IllegalArgumentException.class, () -> BridgeSettings.from(properties, "h")).getMessage());
    }

    @Test
    void requiredOptionsAndBadValuesAreErrors() {
        Map<String, Object> noTopic = minimal();
        noTopic.remove("topic");
        assertThrows(IllegalArgumentException.class, () -> BridgeSettings.from(noTopic, "h"));
        Map<String, Object> noAddress = minimal();
        noAddress.remove("address");
        assertThrows(IllegalArgumentException.class, () -> BridgeSettings.from(noAddress, "h"));
        Map<String, Object> badVersion = minimal();
        badVersion.put("bridge_protocol_version", "mqttv5");
        assertThrows(IllegalArgumentException.class, () -> BridgeSettings.from(badVersion, "h"));
        Map<String, Object> badBoolean = minimal();
        badBoolean.put("cleansession", "yes");
        assertThrows(IllegalArgumentException.class, () -> BridgeSettings.from(badBoolean, "h"));
        Map<String, Object> tlsWithoutCa = minimal();
        tlsWithoutCa.put("bridge_insecure", true);
        assertThrows(IllegalArgumentException.class, () -> BridgeSettings.from(tlsWithoutCa, "h"));
    }
}
