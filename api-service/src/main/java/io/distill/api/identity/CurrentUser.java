package io.distill.api.identity;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.NotAuthorizedException;

import java.util.regex.Pattern;

/**
 * Who is calling. Every query is scoped by {@link #id()}.
 * <p>
 * Interim identity until token authentication lands (issue 6): the caller names itself in the
 * {@code X-Distill-User} header. It isolates users from each other's mistakes, not from each other's
 * malice; only this class changes when JWTs replace it.
 */
@RequestScoped
public class CurrentUser {
    public static final String HEADER = "X-Distill-User";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    private final HttpServerRequest request;

    public CurrentUser(HttpServerRequest request) {
        this.request = request;
    }

    public String id() {
        String user = request.getHeader(HEADER);
        if (user == null || !VALID.matcher(user).matches()) {
            throw new NotAuthorizedException("missing or malformed " + HEADER + " header", "Distill");
        }
        return user;
    }
}
