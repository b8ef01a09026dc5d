package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The assembled broker with Mosquitto's clients speaking MQTT 5 ({@code -V mqttv5}) and setting properties with
 * {@code -D}.
 */
class Mqtt5MosquittoToolsIT {

    private static CulexProcess culex;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        port = CulexProcess.freePort();
        culex = CulexProcess.install();
        Path conf = culex.writeConfig("test.conf", "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
        culex.startAndAwait(conf, port);
    }

    @AfterAll
    static void stop() throws Exception {
        culex.close();
    }

    @Test
    void publishPropertiesReachAnMqtt5Subscriber() throws Exception {
        String topic = "tools5/props";
        try (MosquittoTools.Sub sub = MosquittoTools.subFormatted("%t|%P|%C|%R|%D|%F|%E|%p", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-V", "mqttv5", "-q", "1", "-t", topic)) {
            MosquittoTools.Result pub = MosquittoTools.pub(port, "-V", "mqttv5", "-q", "1", "-t", topic, "-m",
                    "hello",
                    "-D", "publish", "user-property", "zeta", "1",
                    "-D", "publish", "user-property", "alpha", "2",
                    "-D", "publish", "content-type", "text/plain",
                    "-D", "publish", "response-topic", "tools5/reply",
                    "-D", "publish", "correlation-data", "corr-7",
                    "-D", "publish", "payload-format-indicator", "1",
                    "-D", "publish", "message-expiry-interval", "120");
            assertEquals(0, pub.exitCode, pub.toString());
            String line = sub.next();
            assertTrue(line.matches("tools5/props\\|zeta:1 alpha:2\\|text/plain\\|tools5/reply\\|corr-7\\|1\\|1(19|20)"
                    + "\\|hello"), line);
        }
    }

    @Test
    void sessionExpiryFromTheCommandLineKeepsMessagesForAnOfflineSubscriber() throws Exception {
        String topic = "tools5/session";
        String portText = Integer.toString(port);
        // clean start with a session expiry of 60 s: the session survives this connection
        try (MosquittoTools.Sub sub = MosquittoTools.subFormatted("%t %p", "-h", "127.0.0.1", "-p", portText,
                "-V", "mqttv5", "-i", "tools5-persistent", "-q", "1", "-t", topic,
                "-D", "connect", "session-expiry-interval", "60")) {
            sub.close(); // SIGTERM: mosquitto_sub sends DISCONNECT
        }
        MosquittoTools.Result pub = MosquittoTools.pub(port, "-V", "mqttv5", "-q", "1", "-t", topic, "-m",
                "while-away");
        assertEquals(0, pub.exitCode, pub.toString());
        // -c: resume the session (mosquitto_sub sets session-expiry-interval itself then, so -D would be a duplicate)
        try (MosquittoTools.Sub sub = MosquittoTools.subFormatted("%t %p", "-h", "127.0.0.1", "-p", portText,
                "-V", "mqttv5", "-c", "-x", "60", "-i", "tools5-persistent", "-q", "1", "-t", topic)) {
            assertEquals(topic + " while-away", sub.next());
        }
    }

    @Test
    void userPropertiesOnConnectAndSubscribeAreAccepted() throws Exception {
        String topic = "tools5/accepted";
        try (MosquittoTools.Sub sub = MosquittoTools.subFormatted("%t %p", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-V", "mqttv5", "-t", topic,
                "-D", "connect", "user-property", "client", "tools",
                "-D", "subscribe", "user-property", "why", "test")) {
            assertEquals(0, MosquittoTools.pub(port, "-V", "mqttv5", "-t", topic, "-m", "ok",
                    "-D", "connect", "receive-maximum", "5").exitCode);
            assertEquals(topic + " ok", sub.next());
        }
    }
}
