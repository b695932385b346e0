package io.distill.api.auth;

import io.distill.api.identity.CurrentUser;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The local token issuer, for the local stack and small installations. With a real OIDC provider
 * ({@code mp.jwt.verify.publickey.location} = its JWKS, {@code mp.jwt.verify.issuer} = its issuer)
 * these endpoints are not used, except the WebSocket ticket.
 */
@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {
    public record TokenResponse(String accessToken, String tokenType, long expiresIn, Set<String> roles) {
    }

    public record TicketResponse(String ticket, long expiresIn) {
    }

    private final LocalUsers users;
    private final TokenIssuer issuer;
    private final CurrentUser currentUser;
    private final boolean openRegistration;
    private final List<String> adminUsers;

    public AuthResource(LocalUsers users, TokenIssuer issuer, CurrentUser currentUser,
                        @ConfigProperty(name = "distill.auth.open-registration") boolean openRegistration,
                        @ConfigProperty(name = "distill.auth.admin-users") List<String> adminUsers) {
        this.users = users;
        this.issuer = issuer;
        this.currentUser = currentUser;
        this.openRegistration = openRegistration;
        this.adminUsers = adminUsers;
    }

    /** Creates a local account: 201, 409 if the name is taken, 403 when registration is closed. */
    @POST
    @Path("/register")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@NotNull(message = "a JSON body is required") @Valid Credentials credentials) {
        if (!openRegistration) {
            throw new ForbiddenException("registration is closed on this installation");
        }
        if (!users.register(credentials.username(), credentials.password())) {
            throw new ClientErrorException("username is taken", Response.Status.CONFLICT);
        }
        return Response.status(Response.Status.CREATED).entity(java.util.Map.of("username", credentials.username())).build();
    }

    /** Signs in: an access token for the REST API. */
    @POST
    @Path("/token")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public TokenResponse token(@NotNull(message = "a JSON body is required") @Valid Credentials credentials) {
        if (!users.verify(credentials.username(), credentials.password())) {
            throw new NotAuthorizedException("wrong username or password", "Bearer");
        }
        Set<String> roles = new HashSet<>(Set.of("user"));
        if (adminUsers.contains(credentials.username())) {
            roles.add("admin");
        }
        TokenIssuer.IssuedToken token = issuer.accessToken(credentials.username(), roles);
        return new TokenResponse(token.token(), "Bearer", token.expiresIn(), roles);
    }

    /** A ticket for one WebSocket connection: short-lived, single-use, for the caller. */
    @POST
    @Path("/ws-ticket")
    @Authenticated
    public TicketResponse webSocketTicket() {
        TokenIssuer.IssuedToken ticket = issuer.webSocketTicket(currentUser.id(), currentUser.roles());
        return new TicketResponse(ticket.token(), ticket.expiresIn());
    }
}
