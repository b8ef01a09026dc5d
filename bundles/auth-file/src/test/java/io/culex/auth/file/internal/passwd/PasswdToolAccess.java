package io.culex.auth.file.internal.passwd;

import java.io.BufferedReader;
import java.io.PrintStream;

/** Lets tests in other packages run the tool with their own streams. */
public final class PasswdToolAccess {
    private final PasswdTool tool;

    public PasswdToolAccess(PrintStream out, PrintStream err, BufferedReader stdin) {
        tool = new PasswdTool(out, err, PasswdTool.PasswordSource.fromReader(out, stdin));
    }

    public int run(String[] args) {
        return tool.run(args);
    }
}
