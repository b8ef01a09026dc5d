package io.culex.core.internal.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.PahoClient;
import io.culex.core.internal.testing.RawClient;

/** Shared subscriptions, {@code $share/<group>/<filter>}, over real sockets. */
@ExtendWith(LeakDetection.class)
class SharedSubscriptionTest {

    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        broker = new EmbeddedBroker();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private RawClient member(String id, String filter) throws Exception {
        RawClient c = new RawClient(broker.port());
        assertEquals(0, c.connect(id, true, 60));
        c.subscribe(1, filter, 0);
        return c;
    }

    private static List<String> drain(RawClient c) throws Exception {
        List<String> got = new ArrayList<>();
        RawClient.Packet p;
        while ((p = c.poll(300)) != null) {
            got.add(p.payloadText());
        }
        return got;
    }

    @Test
    void eachMessageGoesToOneMemberRoundRobin() throws Exception {
        try (RawClient a = member("a", "$share/workers/jobs/#"); RawClient b = member("b", "$share/workers/jobs/#");
             PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            for (int i = 0; i < 4; i++) {
                pub.publish("jobs/" + i, "j" + i, 0, false);
            }
            List<String> toA = drain(a);
            List<String> toB = drain(b);
            assertEquals(2, toA.size(), "a got " + toA);
            assertEquals(2, toB.size(), "b got " + toB);
            List<String> all = new ArrayList<>(toA);
            all.addAll(toB);
            assertTrue(all.containsAll(List.of("j0", "j1", "j2", "j3")), all.toString());
        }
    }

    @Test
    void everyGroupAndEveryOrdinarySubscriberGetsACopy() throws Exception {
        try (RawClient g1 = member("g1", "$share/one/t"); RawClient g2 = member("g2", "$share/two/t");
             RawClient plain = member("plain", "t");
             PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            pub.publish("t", "x", 0, false);
            assertEquals("x", g1.read().payloadText());
            assertEquals("x", g2.read().payloadText());
            assertEquals("x", plain.read().payloadText());
        }
    }

    @Test
    void retainedMessagesAreNotSentOnSharedSubscribe() throws Exception {
        try (PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            pub.publish("status", "kept", 0, true);
            try (RawClient member = member("m", "$share/g/status")) {
                assertNull(member.poll(300));
                pub.publish("status", "live", 0, false);
                assertEquals("live", member.read().payloadText());
            }
        }
    }

    @Test
    void offlineMembersAreSkippedWhileOthersAreOnline() throws Exception {
        try (RawClient away = new RawClient(broker.port())) {
            assertEquals(0, away.connect("away", false, 60));
            away.subscribe(1, "$share/g/q", 1);
        }
        EmbeddedBroker.await("offline", () -> !broker.engine().sessions().get("away").isOnline());
        try (RawClient online = member("online", "$share/g/q");
             PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            for (int i = 0; i < 3; i++) {
                pub.publish("q", "m" + i, 1, false);
            }
            assertEquals(List.of("m0", "m1", "m2"), drain(online));
            assertEquals(0, broker.engine().sessions().get("away").pendingMessages());
        }
    }

    @Test
    void unsubscribeLeavesTheGroup() throws Exception {
        try (RawClient a = member("a", "$share/g/u"); RawClient b = member("b", "$share/g/u");
             PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            a.send(RawClient.packet(0xA2, new byte[] {0, 2, 0, 10, '$', 's', 'h', 'a', 'r', 'e', '/', 'g', '/', 'u'}));
            assertEquals(RawClient.UNSUBACK, a.read().type);
            for (int i = 0; i < 2; i++) {
                pub.publish("u", "m" + i, 0, false);
            }
            assertEquals(List.of("m0", "m1"), drain(b));
            assertNull(a.poll(200));
        }
    }

    @Test
    void malformedShareFiltersCloseTheConnection() throws Exception {
        for (String filter : new String[] {"$share//t", "$share/g", "$share/g+/t", "$share/g/"}) {
            try (RawClient c = new RawClient(broker.port())) {
                assertEquals(0, c.connect("bad", true, 60));
                byte[] f = filter.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                byte[] body = new byte[2 + 2 + f.length + 1];
                body[1] = 1;
                body[3] = (byte) f.length;
                System.arraycopy(f, 0, body, 4, f.length);
                c.send(RawClient.packet(0x82, body));
                assertTrue(c.awaitClosed(), filter);
            }
        }
    }
}
