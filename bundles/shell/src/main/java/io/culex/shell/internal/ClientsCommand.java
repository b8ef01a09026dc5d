package io.culex.shell.internal;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

import io.culex.api.Broker;
import io.culex.api.ClientInfo;
import io.culex.api.SessionInfo;

/** {@code culex:clients}: the connected clients, with their subscriptions and what waits for them. */
final class ClientsCommand implements ShellCommand {

    private final Broker broker;

    ClientsCommand(Broker broker) {
        this.broker = broker;
    }

    @Override
    public String name() {
        return "clients";
    }

    @Override
    public String usage() {
        return "culex:clients";
    }

    @Override
    public void run(List<String> args, PrintStream out) throws Exception {
        expectArguments(args, 0, 0);
        Table table = new Table("CLIENT ID", "USERNAME", "ADDRESS", "PROTOCOL", "PORT", "SUBSCRIPTIONS",
                "INFLIGHT", "QUEUED");
        for (SessionInfo session : Sessions.all(broker)) {
            ClientInfo client = session.client();
            if (session.online() && client != null) {
                table.row(session.clientId(), client.username(), address(client.remoteAddress()), protocol(client),
                        client.listenerPort() < 0 ? "unix" : client.listenerPort(), session.subscriptions(),
                        session.inflightMessages(), session.queuedMessages());
            }
        }
        table.print(out);
        out.println(table.size() + (table.size() == 1 ? " client" : " clients") + " connected");
    }

    /** {@code 192.0.2.1:50000}, {@code [::1]:50000}, as Mosquitto logs addresses; a socket path as it is. */
    static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return address == null ? null : address.toString(); // null: the table prints "-"
    }

    private static String protocol(ClientInfo client) {
        String version = switch (client.protocolVersion()) {
            case MQTT_3_1 -> "3.1";
            case MQTT_3_1_1 -> "3.1.1";
            case MQTT_5 -> "5.0";
        };
        return client.isBridge() ? version + " (bridge)" : version;
    }
}
