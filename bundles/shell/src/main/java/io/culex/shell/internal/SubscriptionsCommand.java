package io.culex.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.culex.api.Broker;
import io.culex.api.SessionInfo;
import io.culex.api.Topics;

/**
 * {@code culex:subscriptions [filter]}: every session's subscriptions; with a filter, those whose own filter it
 * covers ({@code sensors/#} lists {@code sensors/+/temp} and {@code $share/g/sensors/x}).
 */
final class SubscriptionsCommand implements ShellCommand {

    private static final String SHARE_PREFIX = "$share/";

    private final Broker broker;

    SubscriptionsCommand(Broker broker) {
        this.broker = broker;
    }

    @Override
    public String name() {
        return "subscriptions";
    }

    @Override
    public String usage() {
        return "culex:subscriptions [filter]";
    }

    @Override
    public void run(List<String> args, PrintStream out) throws Exception {
        expectArguments(args, 0, 1);
        String filter = args.isEmpty() ? null : args.get(0);
        Table table = new Table("CLIENT ID", "FILTER", "QOS", "CONNECTED");
        for (SessionInfo session : Sessions.all(broker)) {
            Map<String, Integer> subscriptions = new TreeMap<>(broker.subscriptions(session.clientId()));
            subscriptions.forEach((subscription, qos) -> {
                if (filter == null || Topics.matches(filter, withoutShareGroup(subscription))) {
                    table.row(session.clientId(), subscription, qos, session.online() ? "yes" : "no");
                }
            });
        }
        table.print(out);
        out.println(table.size() + (table.size() == 1 ? " subscription" : " subscriptions"));
    }

    /** {@code $share/<group>/<filter>} is listed under its filter. */
    private static String withoutShareGroup(String subscription) {
        if (!subscription.startsWith(SHARE_PREFIX)) {
            return subscription;
        }
        int groupEnd = subscription.indexOf('/', SHARE_PREFIX.length());
        return groupEnd < 0 ? subscription : subscription.substring(groupEnd + 1);
    }
}
