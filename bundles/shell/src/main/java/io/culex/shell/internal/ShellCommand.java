package io.culex.shell.internal;

import java.io.PrintStream;
import java.util.List;

/** One {@code culex:<name>} command, called by Gogo with the arguments as typed. */
interface ShellCommand {

    /** @return the function name, after {@code culex:} */
    String name();

    /** @return how it is called, for errors: {@code culex:kick <client id>} */
    String usage();

    /**
     * @param args the arguments
     * @param out the session's console
     * @throws IllegalArgumentException with a message for the user when the arguments are wrong
     */
    void run(List<String> args, PrintStream out) throws Exception;

    /** @throws IllegalArgumentException with the usage unless there are between min and max arguments */
    default void expectArguments(List<String> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw new IllegalArgumentException("usage: " + usage());
        }
    }
}
