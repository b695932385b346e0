package io.distill.api.identity;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.NotAuthorizedException;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, from the verified bearer token: its subject is the user id every query is
 * scoped by, its groups the roles.
 */
@RequestScoped
public class CurrentUser {
    private final SecurityIdentity identity;

    public CurrentUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String id() {
        if (identity.isAnonymous()
                || !(identity.getPrincipal() instanceof JsonWebToken token)
                || token.getSubject() == null) {
            throw new NotAuthorizedException("a bearer token is required", "Bearer");
        }
        return token.getSubject();
    }

    public Set<String> roles() {
        return identity.getRoles();
    }

    public boolean isAdmin() {
        return identity.hasRole("admin");
    }
}
