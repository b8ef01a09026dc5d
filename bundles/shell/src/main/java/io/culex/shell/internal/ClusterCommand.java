package io.culex.shell.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.culex.api.Broker;
import io.culex.api.RetainedMessage;

/**
 * {@code culex:cluster}: this node's view of its cluster, as the cluster bundle publishes it under
 * {@code $SYS/broker/cluster/} (read from the retained store, so the shell needs no cluster classes): name, state,
 * members, and each member's clients and message rates.
 */
final class ClusterCommand implements ShellCommand {

    static final String PREFIX = "$SYS/broker/cluster/";
    private static final String MEMBER = "member/";

    private final Broker broker;

    ClusterCommand(Broker broker) {
        this.broker = broker;
    }

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public String usage() {
        return "culex:cluster";
    }

    @Override
    public void run(List<String> args, PrintStream out) {
        expectArguments(args, 0, 0);
        Map<String, String> values = new TreeMap<>();
        for (RetainedMessage m : broker.retainedMessages(PREFIX + "#", 10_000)) {
            values.put(m.topic().substring(PREFIX.length()), new String(m.payload(), StandardCharsets.UTF_8));
        }
        if (!values.containsKey("name")) {
            out.println("This node is not in a cluster (no cluster_* option, or the cluster feature is not installed).");
            return;
        }
        out.println("Cluster " + values.get("name") + ": " + values.getOrDefault("state", "?") + ", "
                + values.getOrDefault("members", "?") + " member(s)");
        if (values.containsKey("members/missing")) {
            out.println("Missing (stopped, crashed or cut off by a network split): " + values.get("members/missing"));
        }
        out.println("Filters held here / by the other nodes: " + values.getOrDefault("filters/local", "?") + " / "
                + values.getOrDefault("filters/remote", "?") + "; messages forwarded / received: "
                + values.getOrDefault("messages/forwarded", "?") + " / "
                + values.getOrDefault("messages/received", "?"));
        Table table = new Table("MEMBER", "CLIENTS", "RECEIVED/S", "SENT/S");
        values.keySet().stream().filter(k -> k.startsWith(MEMBER) && k.endsWith("/clients")).forEach(k -> {
            String address = k.substring(MEMBER.length(), k.length() - "/clients".length());
            String member = MEMBER + address + "/";
            table.row(address, values.get(k), values.getOrDefault(member + "messages/received/persecond", ""),
                    values.getOrDefault(member + "messages/sent/persecond", ""));
        });
        table.print(out);
    }
}
