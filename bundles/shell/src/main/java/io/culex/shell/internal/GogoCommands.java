package io.culex.shell.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Registers commands with Gogo, one {@link Function} service each: Gogo maps a plain object's methods to commands
 * by name, and {@code feature-install} is not a Java method name.
 */
final class GogoCommands implements AutoCloseable {

    static final String SCOPE = "culex";

    private final List<ServiceRegistration<Function>> registrations = new ArrayList<>();

    GogoCommands(BundleContext context, List<ShellCommand> commands) {
        for (ShellCommand command : commands) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(CommandProcessor.COMMAND_SCOPE, SCOPE);
            properties.put(CommandProcessor.COMMAND_FUNCTION, command.name());
            registrations.add(context.registerService(Function.class, new Adapter(command), properties));
        }
    }

    @Override
    public void close() {
        for (ServiceRegistration<Function> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it first
            }
        }
        registrations.clear();
    }

    /** What Gogo calls: the arguments as text, the output to the session's console. */
    private static final class Adapter implements Function {
        private final ShellCommand command;

        Adapter(ShellCommand command) {
            this.command = command;
        }

        @Override
        public Object execute(CommandSession session, List<Object> arguments) throws Exception {
            List<String> args = arguments.stream().map(String::valueOf).toList();
            command.run(args, session.getConsole());
            return null;
        }
    }
}
