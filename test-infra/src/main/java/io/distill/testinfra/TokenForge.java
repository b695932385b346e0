package io.distill.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * A key pair in the layout the local issuer uses ({@code private.pem}, {@code public.pem}), and
 * tokens signed with it, good or deliberately bad, for authentication tests.
 */
public final class TokenForge {
    public static final String ISSUER = "distill-local";

    private final Path dir;
    private final KeyPair keys;
    private final KeyPair strangerKeys;

    public TokenForge() {
        try {
            this.dir = Files.createTempDirectory("distill-keys-");
            this.keys = rsa();
            this.strangerKeys = rsa();
            Files.writeString(
                    dir.resolve("public.pem"),
                    pem("PUBLIC KEY", keys.getPublic().getEncoded()));
            Files.writeString(
                    dir.resolve("private.pem"),
                    pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TokenForge(Path dir, KeyPair keys) {
        this.dir = dir;
        this.keys = keys;
        this.strangerKeys = rsa();
    }

    /** The forge whose keys a test resource wrote to {@code dir} (see {@code distill.test.key-dir}). */
    public static TokenForge at(String dir) {
        try {
            Path path = Path.of(dir);
            java.security.KeyFactory rsa = java.security.KeyFactory.getInstance("RSA");
            var publicKey =
                    rsa.generatePublic(new java.security.spec.X509EncodedKeySpec(der(path.resolve("public.pem"))));
            var privateKey =
                    rsa.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der(path.resolve("private.pem"))));
            return new TokenForge(path, new KeyPair(publicKey, privateKey));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] der(Path pem) throws IOException {
        return Base64.getDecoder()
                .decode(Files.readString(pem)
                        .replaceAll("-----[A-Z ]+-----", "")
                        .replaceAll("\\s", ""));
    }

    public Path dir() {
        return dir;
    }

    public String publicKeyLocation() {
        return dir.resolve("public.pem").toString();
    }

    public String valid(String user, String audience, List<String> groups) {
        return sign(claims(user, ISSUER, audience, groups, 600), keys, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    public String expired(String user, String audience) {
        return expiredSecondsAgo(user, audience, 600);
    }

    /** A token whose expiry passed {@code seconds} ago: refused once that is more than the allowed clock skew. */
    public String expiredSecondsAgo(String user, String audience, int seconds) {
        return sign(
                claims(user, ISSUER, audience, List.of("user"), -seconds), keys, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    public String wrongIssuer(String user, String audience) {
        return sign(
                claims(user, "https://evil.example", audience, List.of("user"), 600),
                keys,
                AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    public String badSignature(String user, String audience) {
        return sign(
                claims(user, ISSUER, audience, List.of("user"), 600),
                strangerKeys,
                AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    /** An unsigned token ({"alg":"none"}): must never be accepted. */
    public String unsigned(String user, String audience) {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        return header + "."
                + b64(claims(user, ISSUER, audience, List.of("user", "admin"), 600)
                        .toJson()) + ".";
    }

    private static JwtClaims claims(
            String user, String issuer, String audience, List<String> groups, int secondsValid) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(user);
        claims.setClaim("upn", user);
        claims.setAudience(audience);
        claims.setStringListClaim("groups", groups);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(
                NumericDate.fromSeconds(System.currentTimeMillis() / 1000 - Math.max(0, -secondsValid) - 60));
        claims.setExpirationTime(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 + secondsValid));
        return claims;
    }

    private static String sign(JwtClaims claims, KeyPair keys, String algorithm) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(keys.getPrivate());
            jws.setAlgorithmHeaderValue(algorithm);
            jws.setHeader("typ", "JWT");
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
