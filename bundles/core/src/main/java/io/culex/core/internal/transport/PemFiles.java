package io.culex.core.internal.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CRL;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files Mosquitto (that is, OpenSSL) reads: certificates, CRLs, and private keys in the three
 * unencrypted forms OpenSSL writes: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY})
 * and SEC1 ({@code BEGIN EC PRIVATE KEY}). The JDK reads only PKCS#8, so the other two are wrapped into a PKCS#8
 * structure here: a few bytes of DER, not worth a dependency on BouncyCastle.
 */
final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** rsaEncryption, with its NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** id-ecPublicKey (1.2.840.10045.2.1). */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02,
            0x01};
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA"};

    private PemFiles() {
    }

    /** @return every certificate in the file, in order (the server's own first, then its chain) */
    static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> result = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                result.add((X509Certificate) c);
            }
        }
        if (result.isEmpty()) {
            throw new CertificateException("no certificate in the file");
        }
        return result;
    }

    static List<X509CRL> crls(Path file) throws IOException, GeneralSecurityException {
        List<X509CRL> result = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                result.add((X509CRL) crl);
            }
        }
        if (result.isEmpty()) {
            throw new CertificateException("no certificate revocation list in the file");
        }
        return result;
    }

    /** The first private key of the file. */
    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(decode(block.group(2)));
                case "RSA PRIVATE KEY":
                    return pkcs8(wrapPkcs1(decode(block.group(2))));
                case "EC PRIVATE KEY":
                    return pkcs8(wrapSec1(decode(block.group(2))));
                case "ENCRYPTED PRIVATE KEY":
                    throw new InvalidKeySpecException("the key is encrypted; Culex cannot ask for a pass phrase "
                            + "(decrypt it with: openssl pkey -in key.pem -out plain.pem)");
                default:
                    // EC PARAMETERS before an EC key, a certificate in the same file: not the key
            }
        }
        throw new InvalidKeySpecException("no PEM private key in the file (BEGIN PRIVATE KEY, BEGIN RSA PRIVATE "
                + "KEY or BEGIN EC PRIVATE KEY)");
    }

    /** @throws GeneralSecurityException if the key does not belong to the certificate (OpenSSL's check) */
    static void checkKeyMatches(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        PublicKey publicKey = certificate.getPublicKey();
        String algorithm;
        switch (key.getAlgorithm()) {
            case "RSA":
                algorithm = "SHA256withRSA";
                break;
            case "EC":
                algorithm = "SHA256withECDSA";
                break;
            case "DSA":
                algorithm = "SHA256withDSA";
                break;
            default:
                algorithm = key.getAlgorithm(); // EdDSA, Ed25519, Ed448, RSASSA-PSS sign with their own name
        }
        if (!publicKey.getAlgorithm().equals(key.getAlgorithm())
                && !(publicKey.getAlgorithm().startsWith("Ed") && key.getAlgorithm().startsWith("Ed"))) {
            throw new InvalidKeySpecException("the key is " + key.getAlgorithm() + " but the certificate's key is "
                    + publicKey.getAlgorithm());
        }
        if (algorithm.equals("RSASSA-PSS")) {
            return; // needs parameters to sign with; the algorithm check above is what we can do cheaply
        }
        byte[] probe = "culex key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new InvalidKeySpecException("the key does not belong to the certificate");
        }
    }

    private static byte[] decode(String body) throws InvalidKeySpecException {
        StringBuilder base64 = new StringBuilder();
        for (String line : body.split("\r?\n")) {
            if (line.contains(":")) {
                // RFC 1421 headers: "Proc-Type: 4,ENCRYPTED" marks a key encrypted the traditional OpenSSL way
                if (line.startsWith("Proc-Type") && line.contains("ENCRYPTED")) {
                    throw new InvalidKeySpecException("the key is encrypted; Culex cannot ask for a pass phrase "
                            + "(decrypt it with: openssl pkey -in key.pem -out plain.pem)");
                }
                continue;
            }
            base64.append(line.trim());
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidKeySpecException("bad base64 in the PEM block: " + e.getMessage());
        }
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException notThisOne) {
                // the encoding names its algorithm; the JDK offers no lookup by OID, so try the usual ones
            }
        }
        throw new InvalidKeySpecException("not a private key of a supported algorithm (RSA, EC, EdDSA, DSA)");
    }

    /** PKCS#1 RSAPrivateKey → PrivateKeyInfo {0, rsaEncryption, OCTET STRING(pkcs1)}. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        return sequence(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, tlv(0x04, pkcs1));
    }

    /**
     * SEC1 ECPrivateKey {version, privateKey, [0] curve, [1] publicKey} → PrivateKeyInfo {0, {ecPublicKey, curve},
     * OCTET STRING(sec1)}. PKCS#8 carries the curve in the algorithm identifier, so it is taken from [0].
     */
    static byte[] wrapSec1(byte[] sec1) throws InvalidKeySpecException {
        Der outer = new Der(sec1, 0);
        if (outer.tag != Der.SEQUENCE) {
            throw new InvalidKeySpecException("not an EC private key (SEC1)");
        }
        byte[] curve = null;
        for (Der element : outer.children()) {
            if (element.tag == 0xA0 && !element.children().isEmpty()) {
                curve = element.children().get(0).encoded();
            }
        }
        if (curve == null) {
            throw new InvalidKeySpecException("the EC private key does not name its curve");
        }
        byte[] algorithm = sequence(EC_PUBLIC_KEY_OID, curve);
        return sequence(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, sec1));
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return tlv(0x30, content.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
