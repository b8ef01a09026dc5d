package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The {@code features} option of culex.conf installs features described in {@code <home>/features/*.xml} at boot.
 */
class FeaturesAtBootIT {

    @Test
    void aFeatureNamedInTheConfigurationIsInstalledAtBoot() throws Exception {
        int port = CulexProcess.freePort();
        try (CulexProcess culex = CulexProcess.install()) {
            String sample = new File(System.getProperty("culex.sample.topic-modification.jar")).toURI().toString();
            Files.writeString(culex.home().resolve("features/extra-features.xml"), String.join("\n",
                    "<features name=\"extra\">",
                    "  <feature name=\"rewrite\">",
                    "    <bundle>" + sample + "</bundle>",
                    "  </feature>",
                    "</features>", ""));
            Path conf = culex.writeConfig("features.conf", String.join("\n",
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    "features rewrite",
                    ""));
            culex.startAndAwait(conf, port);
            culex.awaitLog("Feature rewrite installed");
            try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-t", "#")) {
                assertEquals(0, MosquittoTools.pub(port, "-t", "legacy/kitchen", "-m", "21").exitCode);
                assertEquals("devices/kitchen 0 0 21", sub.next(), "rewritten by the feature's plugin");
            }
        }
    }
}
