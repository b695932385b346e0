package io.distill.api.auth;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * The local issuer's RSA key pair. Generated at first start into {@code distill.auth.key-dir}
 * (never committed; in Kubernetes a Secret mounted there), then reused. The public half is what
 * every service verifies tokens with ({@code mp.jwt.verify.publickey.location}).
 */
@ApplicationScoped
@Startup
public class SigningKeys {
    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    static final String PRIVATE_KEY = "private.pem";
    static final String PUBLIC_KEY = "public.pem";

    private final PrivateKey privateKey;

    public SigningKeys(AuthSettings settings) {
        Path dir = settings.keyDir();
        try {
            if (!Files.exists(dir.resolve(PRIVATE_KEY))) {
                generate(dir);
            }
            this.privateKey = readPrivateKey(dir.resolve(PRIVATE_KEY));
        } catch (IOException e) {
            throw new UncheckedIOException("signing keys in " + dir + " are unusable", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing keys in " + dir + " are unusable", e);
        }
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    private static void generate(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        write(dir, PUBLIC_KEY, pem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
        // the private key last: its presence means the pair is complete
        write(dir, PRIVATE_KEY, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
        LOG.infof("generated the local issuer's signing key pair in %s", dir);
    }

    private static void write(Path dir, String name, String content, boolean secret) throws IOException {
        Path tmp = Files.createTempFile(dir, name, ".tmp");
        if (secret) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(tmp, content);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        String base64 =
                Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
