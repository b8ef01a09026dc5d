package io.culex.itest.osgi;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;

import org.ops4j.pax.exam.Option;

/**
 * The Felix container of the in-OSGi tests: logging first (STACK.md pitfall 2), DS, Config Admin, Netty, the
 * reactor's own culex-api and culex-core jars, and Paho as the MQTT client.
 */
final class CulexContainer {

    private CulexContainer() {
    }

    /** @return the file URL of a reactor jar whose path the failsafe configuration passes as a system property */
    static String reactorJar(String property) {
        return new File(System.getProperty(property)).toURI().toString();
    }

    /** @return Jackson (core, annotations, databind), which the dynsec bundle imports */
    static Option[] jacksonBundles() {
        String jackson = System.getProperty("jackson.version");
        String annotations = System.getProperty("jackson.annotations.version");
        return options(
                mavenBundle("com.fasterxml.jackson.core", "jackson-annotations", annotations),
                mavenBundle("com.fasterxml.jackson.core", "jackson-core", jackson),
                mavenBundle("com.fasterxml.jackson.core", "jackson-databind", jackson));
    }

    static Option[] coreBundles() {
        String netty = System.getProperty("netty.version");
        String slf4j = System.getProperty("slf4j.version");
        String asm = System.getProperty("asm.version");
        return options(
                // STACK.md pitfall 3: keep the class path's slf4j provider out of the framework
                frameworkProperty("felix.bootdelegation.implicit").value("false"),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                // Netty's JFR events need jdk.jfr.internal classes, which explicit boot delegation hides
                systemProperty("io.netty.jfr.enabled").value("false"),
                mavenBundle("org.ow2.asm", "asm", asm).startLevel(1),
                mavenBundle("org.ow2.asm", "asm-commons", asm).startLevel(1),
                mavenBundle("org.ow2.asm", "asm-util", asm).startLevel(1),
                mavenBundle("org.ow2.asm", "asm-tree", asm).startLevel(1),
                mavenBundle("org.ow2.asm", "asm-analysis", asm).startLevel(1),
                mavenBundle("org.apache.aries.spifly", "org.apache.aries.spifly.dynamic.bundle", "1.3.7").startLevel(1),
                mavenBundle("org.slf4j", "slf4j-api", slf4j).startLevel(1),
                mavenBundle("org.slf4j", "slf4j-simple", slf4j).startLevel(1),
                mavenBundle("org.osgi", "org.osgi.util.function", "1.2.0"),
                mavenBundle("org.osgi", "org.osgi.util.promise", "1.3.0"),
                mavenBundle("org.osgi", "org.osgi.service.component", "1.5.1"),
                mavenBundle("org.apache.felix", "org.apache.felix.scr", "2.2.18"),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin", "1.9.26"),
                mavenBundle("io.netty", "netty-common", netty),
                mavenBundle("io.netty", "netty-buffer", netty),
                mavenBundle("io.netty", "netty-resolver", netty),
                mavenBundle("io.netty", "netty-transport", netty),
                mavenBundle("io.netty", "netty-transport-native-unix-common", netty),
                mavenBundle("io.netty", "netty-transport-classes-epoll", netty),
                mavenBundle("io.netty", "netty-codec-base", netty),
                mavenBundle("io.netty", "netty-codec-mqtt", netty),
                mavenBundle("io.netty", "netty-codec-compression", netty),
                mavenBundle("io.netty", "netty-codec-http", netty),
                mavenBundle("io.netty", "netty-handler", netty),
                bundle(reactorJar("culex.api.jar")),
                bundle(reactorJar("culex.core.jar")),
                mavenBundle("org.eclipse.paho", "org.eclipse.paho.client.mqttv3", "1.2.5"),
                junitBundles());
    }

    /** Remove every Culex configuration a test made, so the next test starts from none. */
    static void deleteCulexConfigurations(org.osgi.service.cm.ConfigurationAdmin configurationAdmin)
            throws Exception {
        org.osgi.service.cm.Configuration[] ours = configurationAdmin.listConfigurations("(service.pid=io.culex.*)");
        for (org.osgi.service.cm.Configuration c : ours == null ? new org.osgi.service.cm.Configuration[0] : ours) {
            c.delete();
        }
    }
}
