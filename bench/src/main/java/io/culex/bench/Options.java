package io.culex.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The command line: {@code --name value} pairs with defaults; unknown names are an error. */
final class Options {

    enum Scenario { FANIN, FANOUT, PAIRS }

    final String host;
    final int port;
    /** Where the subscribers connect: another node of a cluster, or the same broker (the default). */
    final int subscriberPort;
    final Scenario scenario;
    final int publishers;
    final int subscribers;
    final int qos;
    final int size;
    final int protocol;
    final double warmupSeconds;
    final double durationSeconds;
    /** Messages per second per publisher; 0 = as fast as the broker takes them. */
    final int rate;
    /** Unacknowledged QoS 1 messages per publisher (libmosquitto's default is 20). */
    final int window;
    final int threads;
    /** The broker's process id, to report its CPU use and memory; 0 if unknown. */
    final long brokerPid;
    final String label;
    /** Subscribers keep persistent sessions, so a broker with persistence stores what it delivers to them. */
    final boolean persistentSubscribers;

    private Options(Map<String, String> v) {
        host = v.remove("host");
        port = Integer.parseInt(v.remove("port"));
        String subPort = v.remove("subscriber-port");
        subscriberPort = subPort.isEmpty() ? port : Integer.parseInt(subPort);
        scenario = Scenario.valueOf(v.remove("scenario").toUpperCase(java.util.Locale.ROOT).replace("-", ""));
        qos = Integer.parseInt(v.remove("qos"));
        size = Math.max(Wire.HEADER_BYTES, Integer.parseInt(v.remove("size")));
        protocol = Integer.parseInt(v.remove("protocol"));
        warmupSeconds = Double.parseDouble(v.remove("warmup"));
        durationSeconds = Double.parseDouble(v.remove("duration"));
        rate = Integer.parseInt(v.remove("rate"));
        window = Integer.parseInt(v.remove("window"));
        threads = Integer.parseInt(v.remove("threads"));
        brokerPid = Long.parseLong(v.remove("broker-pid"));
        label = v.remove("label");
        persistentSubscribers = Boolean.parseBoolean(v.remove("persistent-subscribers"));
        int p = Integer.parseInt(v.remove("publishers"));
        int s = Integer.parseInt(v.remove("subscribers"));
        int pairs = Integer.parseInt(v.remove("pairs"));
        switch (scenario) {
            case FANIN:
                publishers = p;
                subscribers = 1;
                break;
            case FANOUT:
                publishers = 1;
                subscribers = s;
                break;
            default:
                publishers = pairs;
                subscribers = pairs;
        }
        if (!v.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + v.keySet());
        }
        if (qos < 0 || qos > 1) {
            throw new IllegalArgumentException("--qos must be 0 or 1");
        }
        if (protocol != 4 && protocol != 5) {
            throw new IllegalArgumentException("--protocol must be 4 (MQTT 3.1.1) or 5");
        }
    }

    static Options parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("host", "127.0.0.1");
        values.put("port", "1883");
        values.put("subscriber-port", "");
        values.put("scenario", "fanin");
        values.put("publishers", "4");
        values.put("subscribers", "16");
        values.put("pairs", "8");
        values.put("qos", "0");
        values.put("size", "64");
        values.put("protocol", "4");
        values.put("warmup", "4");
        values.put("duration", "8");
        values.put("rate", "0");
        values.put("window", "20");
        values.put("threads", "1");
        values.put("broker-pid", "0");
        values.put("label", "broker");
        values.put("persistent-subscribers", "false");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                throw new IllegalArgumentException("usage");
            }
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + a);
            }
            String name = a.substring(2);
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("unknown option " + a);
            }
            values.put(name, args[++i]);
        }
        return new Options(values);
    }

    static String usage() {
        return String.join("\n",
                "usage: bench [--name value]...",
                "  --host 127.0.0.1 --port 1883      the broker",
                "  --subscriber-port <port>          subscribers connect there (another cluster node); default --port",
                "  --scenario fanin|fanout|pairs     fanin: P publishers -> 1 subscriber on bench/#;",
                "                                    fanout: 1 publisher -> S subscribers; pairs: N publisher/subscriber pairs",
                "  --publishers 4 --subscribers 16 --pairs 8",
                "  --qos 0|1 --size 64 (payload bytes, at least " + Wire.HEADER_BYTES + ") --protocol 4|5",
                "  --rate 0                          messages/s per publisher, 0 = as fast as the broker takes them",
                "  --window 20                       unacknowledged QoS 1 messages per publisher",
                "  --warmup 4 --duration 8           seconds",
                "  --threads 1                       load generator event loops",
                "  --broker-pid 0                    report the broker's CPU and RSS from /proc",
                "  --label broker                    name in the RESULT line",
                "  --persistent-subscribers false    subscribers keep sessions (clean session 0 / expiry 1 h)");
    }
}
