package io.culex.auth.file.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.culex.api.AuthenticationRequest;
import io.culex.api.Decision;
import io.culex.api.ProtocolVersion;

/**
 * The component with password files written by the real {@code mosquitto_passwd} (Debian package mosquitto,
 * installed by itest/install-test-tools.sh), and its reload.
 */
class PasswordFileAuthenticatorTest {

    @TempDir
    Path dir;

    private final List<Runnable> sighupServices = new ArrayList<>();
    private PasswordFileAuthenticator authenticator;

    @AfterEach
    void deactivate() {
        if (authenticator != null) {
            authenticator.deactivate();
        }
    }

    @Test
    void defaultPbkdf2FileFromMosquittoPasswd() throws Exception {
        Path file = dir.resolve("pw");
        mosquittoPasswd("-c", "-b", file.toString(), "alice", "s3cret");
        activate(file);
        assertEquals(Decision.ALLOW, check("alice", "s3cret"));
        assertEquals(Decision.DENY, check("alice", "wrong"));
        assertEquals(Decision.DENY, check("alice", null));
        assertEquals(Decision.DENY, check("mallory", "s3cret"));
        assertEquals(Decision.DEFER, check(null, null), "no user name: allow_anonymous decides");
        assertEquals(Decision.DEFER, check(null, "s3cret"));
    }

    @Test
    void sha512FileFromMosquittoPasswd() throws Exception {
        Path file = dir.resolve("pw");
        mosquittoPasswd("-c", "-H", "sha512", "-b", file.toString(), "bob", "b0b");
        mosquittoPasswd("-I", "3", "-b", file.toString(), "carol", "c");
        activate(file);
        assertEquals(Decision.ALLOW, check("bob", "b0b"));
        assertEquals(Decision.DENY, check("bob", "B0B"));
        assertEquals(Decision.ALLOW, check("carol", "c"));
        assertEquals(Decision.DENY, check("carol", ""));
    }

    @Test
    void aChangedFileAppliesToTheNextCheckAndAFailedReloadKeepsTheUsers() throws Exception {
        Path file = dir.resolve("pw");
        mosquittoPasswd("-c", "-b", file.toString(), "alice", "old");
        activate(file);
        assertEquals(Decision.ALLOW, check("alice", "old"));

        mosquittoPasswd("-b", file.toString(), "alice", "new");
        awaitDecision("alice", "new", Decision.ALLOW);
        assertEquals(Decision.DENY, check("alice", "old"));

        Files.delete(file);
        long before = authenticator.reloadsFinished();
        sighupServices.forEach(Runnable::run);
        awaitReloadAfter(before);
        assertEquals(Decision.ALLOW, check("alice", "new"), "a failed reload keeps the previous users");
        Path other = dir.resolve("pw-other");
        mosquittoPasswd("-c", "-b", other.toString(), "zed", "z");
        Files.move(other, file);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        awaitDecision("zed", "z", Decision.ALLOW);
        assertEquals(Decision.DENY, check("alice", "new"));
    }

    @Test
    void sighupReloadsAtOnce() throws Exception {
        Path file = dir.resolve("pw");
        mosquittoPasswd("-c", "-b", file.toString(), "alice", "a");
        activate(file);
        mosquittoPasswd("-b", file.toString(), "bob", "b");
        assertEquals(1, sighupServices.size());
        sighupServices.get(0).run();
        awaitDecision("bob", "b", Decision.ALLOW);
    }

    @Test
    void aMissingFileDeniesEveryUserButKeepsDeferringAnonymousClients() throws Exception {
        activate(dir.resolve("absent"));
        assertEquals(Decision.DENY, check("alice", "a"));
        assertEquals(Decision.DEFER, check(null, null));
    }

    private void awaitReloadAfter(long before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (authenticator.reloadsFinished() <= before) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no reload within 10 s");
            }
            Thread.sleep(10);
        }
    }

    private void awaitDecision(String user, String password, Decision expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Decision last;
        do {
            last = check(user, password);
            if (last == expected) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertEquals(expected, last, "no reload within 10 s");
    }

    private Decision check(String user, String password) throws Exception {
        return authenticator.authenticate(request(user, password)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void activate(Path file) {
        authenticator = new PasswordFileAuthenticator();
        authenticator.activate(fakeContext(), configuration(file));
    }

    static void mosquittoPasswd(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("mosquitto_passwd");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertEquals(0, p.waitFor(), "mosquitto_passwd " + command + ": " + output);
    }

    private static PasswordFileConfiguration configuration(Path file) {
        return new PasswordFileConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return PasswordFileConfiguration.class;
            }

            @Override
            public String password__file() {
                return file.toString();
            }
        };
    }

    /** A BundleContext that records the SIGHUP Runnable; nothing else is used. */
    private BundleContext fakeContext() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[1] instanceof Runnable r) {
                        sighupServices.add(r);
                        return Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        sighupServices.remove(r);
                                    }
                                    return null;
                                });
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static AuthenticationRequest request(String user, String password) {
        return new AuthenticationRequest() {
            @Override
            public byte[] password() {
                return password == null ? null : password.getBytes(UTF_8);
            }

            @Override
            public String clientId() {
                return "test-client";
            }

            @Override
            public String username() {
                return user;
            }

            @Override
            public SocketAddress remoteAddress() {
                return new InetSocketAddress("127.0.0.1", 5000);
            }

            @Override
            public int listenerPort() {
                return 1883;
            }

            @Override
            public ProtocolVersion protocolVersion() {
                return ProtocolVersion.values()[0];
            }

            @Override
            public boolean isBridge() {
                return false;
            }

            @Override
            public java.util.List<java.security.cert.X509Certificate> peerCertificates() {
                return java.util.List.of();
            }
        };
    }
}
