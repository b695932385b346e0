package io.distill.api.auth;

import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs the local issuer's tokens: access tokens for the REST API (audience {@value #API_AUDIENCE})
 * and short-lived, single-use WebSocket tickets (audience {@value #WS_AUDIENCE}) that are the only
 * tokens the gateway accepts, so no long-lived token ever travels in a URL.
 */
@ApplicationScoped
public class TokenIssuer {
    public static final String API_AUDIENCE = "distill-api";
    public static final String WS_AUDIENCE = "distill-ws";

    private final SigningKeys keys;
    private final String issuer;
    private final Duration accessLifetime;
    private final Duration ticketLifetime;

    public TokenIssuer(
            SigningKeys keys, @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer, AuthSettings settings) {
        this.keys = keys;
        this.issuer = issuer;
        this.accessLifetime = settings.tokenLifetime();
        this.ticketLifetime = settings.wsTicketLifetime();
    }

    public record IssuedToken(String token, long expiresIn) {}

    public IssuedToken accessToken(String user, Set<String> roles) {
        return sign(user, roles, API_AUDIENCE, accessLifetime);
    }

    public IssuedToken webSocketTicket(String user, Set<String> roles) {
        return sign(user, roles, WS_AUDIENCE, ticketLifetime);
    }

    private IssuedToken sign(String user, Set<String> roles, String audience, Duration lifetime) {
        String token = Jwt.issuer(issuer)
                .subject(user)
                .upn(user)
                .groups(roles)
                .audience(audience)
                .claim("jti", UUID.randomUUID().toString())
                .expiresIn(lifetime)
                .jws()
                .keyId("distill-local")
                .sign(keys.privateKey());
        return new IssuedToken(token, lifetime.toSeconds());
    }
}
