package io.culex.shell.internal;

import java.io.PrintStream;
import java.util.List;

import io.culex.api.Broker;

/** {@code culex:kick <client id>}: disconnect a client, as if its connection had been lost (its will goes out). */
final class KickCommand implements ShellCommand {

    private final Broker broker;

    KickCommand(Broker broker) {
        this.broker = broker;
    }

    @Override
    public String name() {
        return "kick";
    }

    @Override
    public String usage() {
        return "culex:kick <client id>";
    }

    @Override
    public void run(List<String> args, PrintStream out) {
        expectArguments(args, 1, 1);
        String clientId = args.get(0);
        if (!broker.disconnectClient(clientId)) {
            throw new IllegalArgumentException("No client " + clientId + " is connected.");
        }
        out.println("Client " + clientId + " disconnected.");
    }
}
