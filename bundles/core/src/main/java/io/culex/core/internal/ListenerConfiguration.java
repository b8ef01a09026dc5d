package io.culex.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of an {@code io.culex.core.listener} factory configuration: one per {@code listener} line of
 * mosquitto.conf.
 */
@ObjectClassDefinition(name = "Culex listener", description = "A network listener, as a mosquitto.conf listener")
@interface ListenerConfiguration {

    @AttributeDefinition(description = "TCP port (0 picks a free one).", min = "0", max = "65535")
    int port() default 1883;

    @AttributeDefinition(description = "Host name or address to bind; empty for every interface.",
            required = false)
    String bind__address();

    @AttributeDefinition(description = "mqtt or websockets.", options = {
            @org.osgi.service.metatype.annotations.Option(value = "mqtt"),
            @org.osgi.service.metatype.annotations.Option(value = "websockets")})
    String protocol() default "mqtt";

    @AttributeDefinition(description = "Path of a Unix socket to listen on instead of TCP (port 0).",
            required = false)
    String unix__socket__path();

    @AttributeDefinition(description = "Network interface whose addresses are bound.", required = false)
    String bind__interface();

    @AttributeDefinition(description = "PEM server certificate (and chain): enables TLS.", required = false)
    String certfile();

    @AttributeDefinition(description = "PEM private key of the certificate (PKCS#8, PKCS#1 or SEC1, unencrypted).",
            required = false)
    String keyfile();

    @AttributeDefinition(description = "PEM file of CA certificates trusted for client certificates.",
            required = false)
    String cafile();

    @AttributeDefinition(description = "Directory of PEM CA certificates.", required = false)
    String capath();

    @AttributeDefinition(description = "Lowest TLS version: tlsv1.3, tlsv1.2 (default) or tlsv1.1.",
            required = false)
    String tls__version();

    @AttributeDefinition(description = "Cipher suites for TLS 1.2 (OpenSSL or Java names, colon separated).",
            required = false)
    String ciphers();

    @AttributeDefinition(name = "ciphers_tls1.3", description = "TLS 1.3 cipher suites (colon separated).",
            required = false)
    String ciphers__tls1_3();

    @AttributeDefinition(description = "Clients must present a certificate signed by cafile/capath.")
    boolean require__certificate() default false;

    @AttributeDefinition(description = "The client certificate's common name becomes the user name.")
    boolean use__identity__as__username() default false;

    @AttributeDefinition(description = "The client certificate's subject (RFC 2253) becomes the user name.")
    boolean use__subject__as__username() default false;

    @AttributeDefinition(description = "PEM certificate revocation list checked for client certificates.",
            required = false)
    String crlfile();

    @AttributeDefinition(description = "Most clients connected at once on this listener (-1 = no limit).")
    int max__connections() default -1;
}
