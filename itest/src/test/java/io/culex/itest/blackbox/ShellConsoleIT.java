package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * {@code bin/culex -i}: the Gogo console on the broker's standard input, with the {@code culex:} commands; the end
 * of the input ends the console, never the broker (STACK.md pitfall 8).
 */
class ShellConsoleIT {

    private static void type(CulexProcess culex, String line) throws Exception {
        OutputStream stdin = culex.process().getOutputStream();
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    @Test
    void theConsoleRunsCommandsAndItsEndLeavesTheBrokerRunning() throws Exception {
        int port = CulexProcess.freePort();
        try (CulexProcess culex = CulexProcess.install()) {
            Path conf = culex.writeConfig("shell.conf", "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
            culex.start("-c", conf.toString(), "-i");
            culex.awaitPort(port);
            culex.awaitLog("Feature shell installed");
            culex.awaitLog("0 clients connected", () -> type(culex, "culex:clients"));

            try (MosquittoTools.Sub watcher = MosquittoTools.sub(port, "-i", "watcher", "-t", "shell/#")) {
                culex.awaitLog("watcher\\s+-\\s+127\\.0\\.0\\.1:\\d+\\s+3\\.1\\.1\\s+" + port + "\\s+1\\s+0\\s+0",
                        () -> type(culex, "culex:clients"));
                culex.awaitLog("Published to shell/x\\.", () -> type(culex, "culex:publish shell/x 'from the console'"));
                assertEquals("shell/x 0 0 from the console", watcher.next());
                culex.awaitLog("Client watcher disconnected", () -> type(culex, "culex:kick watcher"));
            }

            culex.awaitLog("gosh: stopping shell", () -> culex.process().getOutputStream().close());
            // the broker goes on: it serves clients and did not terminate
            try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-t", "after/#")) {
                assertEquals(0, MosquittoTools.pub(port, "-t", "after/eof", "-m", "still here").exitCode);
                assertEquals("after/eof 0 0 still here", sub.next());
            }
            assertTrue(culex.process().isAlive());
            assertFalse(culex.log().contains("terminating"), culex.log());
            assertFalse(culex.log().contains("stopping shell and framework"), culex.log());
        }
    }

    @Test
    void aDaemonHasNoConsole() throws Exception {
        try (CulexProcess culex = CulexProcess.install()) {
            culex.start("-i", "-d");
            assertEquals(3, culex.awaitExit());
            assertTrue(culex.log().contains("Error: -i and -d cannot be used together"), culex.log());
        }
    }
}
