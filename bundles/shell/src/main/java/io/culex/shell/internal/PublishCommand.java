package io.culex.shell.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.culex.api.Broker;

/**
 * {@code culex:publish [-q <qos>] [-r] <topic> <payload>}: publish as the broker (mosquitto_pub's {@code -q} and
 * {@code -r}); the message passes the interceptors and each delivery the ACLs, as any message from a bundle.
 */
final class PublishCommand implements ShellCommand {

    private final Broker broker;

    PublishCommand(Broker broker) {
        this.broker = broker;
    }

    @Override
    public String name() {
        return "publish";
    }

    @Override
    public String usage() {
        return "culex:publish [-q <qos>] [-r] <topic> <payload>";
    }

    @Override
    public void run(List<String> args, PrintStream out) {
        int qos = 0;
        boolean retain = false;
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-q") && i + 1 < args.size()) {
                qos = qos(args.get(++i));
            } else if (arg.equals("-r")) {
                retain = true;
            } else {
                operands.add(arg);
            }
        }
        expectArguments(operands, 2, 2);
        String topic = operands.get(0);
        try {
            broker.publish(topic, operands.get(1).getBytes(StandardCharsets.UTF_8), qos, retain);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid topic: " + topic);
        }
        out.println("Published to " + topic + (retain ? " (retained)" : "") + ".");
    }

    private int qos(String text) {
        if (!text.matches("[012]")) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2; usage: " + usage());
        }
        return Integer.parseInt(text);
    }
}
