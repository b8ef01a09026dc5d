package io.culex.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.Test;

/**
 * Core's packages form layers: no package depends, directly or through others, on a package that depends on it.
 * Read from the compiled classes with the JDK's jdeps, so a new cycle fails the build where it is made.
 */
class PackageLayeringTest {

    private static final String PREFIX = "io.culex.core";

    @Test
    void corePackagesHaveNoDependencyCycle() {
        Path classes = Paths.get("target/classes");
        assertTrue(Files.isDirectory(classes), "compiled classes at " + classes.toAbsolutePath());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package",
                "-e", PREFIX.replace(".", "\\.") + ".*", classes.toString());
        assertEquals(0, status, out.toString());

        Map<String, Set<String>> edges = new HashMap<>();
        for (String line : out.toString().split("\n")) {
            String[] words = line.trim().split("\\s+");
            // "<from> -> <to> <location>"
            if (words.length >= 3 && words[1].equals("->") && words[0].startsWith(PREFIX)
                    && words[2].startsWith(PREFIX) && !words[0].equals(words[2])) {
                edges.computeIfAbsent(words[0], k -> new TreeSet<>()).add(words[2]);
            }
        }
        assertTrue(edges.size() > 5, "jdeps listed the packages: " + edges);
        List<List<String>> cycles = stronglyConnected(edges);
        assertTrue(cycles.isEmpty(), "package cycles in core: " + cycles);
    }

    /** Tarjan's algorithm: the components with more than one package are the cycles. */
    private static List<List<String>> stronglyConnected(Map<String, Set<String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<List<String>> result = new ArrayList<>();
        int[] counter = {0};
        for (String v : edges.keySet()) {
            if (!index.containsKey(v)) {
                visit(v, edges, index, low, stack, onStack, result, counter);
            }
        }
        return result;
    }

    private static void visit(String v, Map<String, Set<String>> edges, Map<String, Integer> index,
                              Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                              List<List<String>> result, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                visit(w, edges, index, low, stack, onStack, result, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                result.add(component);
            }
        }
    }
}
