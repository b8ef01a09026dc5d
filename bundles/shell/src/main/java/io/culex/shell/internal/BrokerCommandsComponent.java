package io.culex.shell.internal;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.culex.api.Broker;

/** The commands on the broker: {@code culex:clients}, {@code kick}, {@code subscriptions}, {@code retained}, {@code publish}. */
@Component(immediate = true, service = {})
public final class BrokerCommandsComponent {

    private final GogoCommands commands;

    @Activate
    public BrokerCommandsComponent(BundleContext context, @Reference(name = "broker") Broker broker) {
        commands = new GogoCommands(context, List.of(new ClientsCommand(broker), new KickCommand(broker),
                new SubscriptionsCommand(broker), new RetainedCommand(broker), new PublishCommand(broker),
                new ClusterCommand(broker)));
    }

    @Deactivate
    void deactivate() {
        commands.close();
    }
}
