package io.distill.api.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The first admin of a local-issuer installation, made by the operator's configuration
 * ({@code distill.auth.bootstrap-admin=NAME}) while no admin exists: the account is created with a
 * generated password, written once to {@code <key-dir>/bootstrap-admin-password} (readable by the
 * service's user only; the log names the file, never the password). A name that is already an
 * ordinary account is left alone: roles never follow from a name.
 */
@ApplicationScoped
public class BootstrapAdmin {
    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);
    static final String PASSWORD_FILE = "bootstrap-admin-password";

    void onStart(@Observes StartupEvent event, LocalUsers users, AuthSettings settings) {
        Optional<String> name = settings.bootstrapAdmin();
        Path keyDir = settings.keyDir();
        if (name.isEmpty() || name.get().isBlank() || users.anyAdmin()) {
            return;
        }
        String username = Usernames.fold(name.get().strip());
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        if (!users.registerAdmin(username, password)) {
            LOG.warnf(
                    "bootstrap admin '%s' not created: an ordinary account has that name (grant the role with ./distill admin)",
                    username);
            return;
        }
        Path file = keyDir.resolve(PASSWORD_FILE);
        try {
            Files.createDirectories(keyDir);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the bootstrap admin's password to " + file, e);
        }
        LOG.infof(
                "bootstrap admin '%s' created; its generated password is in %s (read it once, then delete the file)",
                username, file);
    }
}
