package io.distill.gateway;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Authenticates the WebSocket upgrade by its {@code ticket} query parameter: a JWT from the API's
 * {@code /api/auth/ws-ticket}, verified like any token here (signature, issuer, audience
 * {@code distill-ws}, expiry: seconds), and usable once. Browsers cannot set headers on a WebSocket,
 * and a long-lived token must not travel in a URL; a short-lived single-use ticket may.
 */
@ApplicationScoped
public class TicketAuthenticationMechanism implements HttpAuthenticationMechanism {
    private final UsedTickets used;

    public TicketAuthenticationMechanism(UsedTickets used) {
        this.used = used;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String ticket = context.request().getParam("ticket");
        if (ticket == null || ticket.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        TokenAuthenticationRequest request = new TokenAuthenticationRequest(new JsonWebTokenCredential(ticket));
        return identities
                .authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context))
                .invoke(identity -> {
                    JsonWebToken token = (JsonWebToken) identity.getPrincipal();
                    if (!used.firstUse(token.getTokenID(), token.getExpirationTime())) {
                        throw new AuthenticationFailedException("ticket already used");
                    }
                });
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"distill\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }
}
