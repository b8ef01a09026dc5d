package io.culex.itest.blackbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made with the {@code openssl} command for the TLS black-box tests: a CA and another CA, a server
 * certificate for 127.0.0.1 (PKCS#1 key, as Mosquitto users often have), a client certificate from the CA
 * ({@code CN=client-one}) and one from the other CA.
 */
final class Certificates {

    final Path dir;

    private Certificates(Path dir) {
        this.dir = dir;
    }

    static Certificates create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Certificates c = new Certificates(dir);
        c.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days",
                "2", "-subj", "/CN=Culex IT CA");
        c.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key", "-out",
                "other-ca.crt", "-days", "2", "-subj", "/CN=Other CA");
        c.openssl("genrsa", "-traditional", "-out", "server.key", "2048");
        c.signed("server", "ca", "/CN=localhost");
        c.openssl("genpkey", "-algorithm", "RSA", "-out", "client.key");
        c.signed("client", "ca", "/O=Culex IT/CN=client-one");
        c.openssl("genpkey", "-algorithm", "RSA", "-out", "stranger.key");
        c.signed("stranger", "other-ca", "/CN=stranger");
        return c;
    }

    String path(String name) {
        return dir.resolve(name).toString();
    }

    private void signed(String name, String ca, String subject) throws IOException, InterruptedException {
        openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", subject);
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + output);
        }
    }
}
