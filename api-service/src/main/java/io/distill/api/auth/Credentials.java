package io.distill.api.auth;

import io.distill.api.validation.CleanText;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A username and password for the local issuer. Names are ASCII and compared case-folded ({@link Usernames}). */
public record Credentials(
        @NotNull(message = "is required")
        @Pattern(regexp = "[A-Za-z0-9._@-]{1,64}", message = "must be 1 to 64 letters, digits or . _ @ -")
        String username,

        @NotNull(message = "is required")
        @Size(min = 10, max = 200, message = "must be 10 to 200 characters")
        @CleanText
        String password) {

    @Override
    public String toString() {
        return "Credentials[username=" + username + "]"; // never the password, not even in a log line
    }
}
