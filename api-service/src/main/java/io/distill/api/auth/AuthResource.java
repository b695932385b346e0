package io.distill.api.auth;

import io.distill.api.identity.CurrentUser;
import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Set;

/**
 * The local token issuer, for the local stack and small installations. With a real OIDC provider
 * ({@code mp.jwt.verify.publickey.location} = its JWKS, {@code mp.jwt.verify.issuer} = its issuer)
 * these endpoints are not used, except the WebSocket ticket. A chosen name never carries a role:
 * roles come from the account, and only an operator makes an admin.
 */
@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {
    public record TokenResponse(String accessToken, String tokenType, long expiresIn, Set<String> roles) {}

    public record TicketResponse(String ticket, long expiresIn) {}

    private final LocalUsers users;
    private final AuthThrottle throttle;
    private final TokenIssuer issuer;
    private final CurrentUser currentUser;
    private final boolean openRegistration;

    public AuthResource(
            LocalUsers users,
            AuthThrottle throttle,
            TokenIssuer issuer,
            CurrentUser currentUser,
            AuthSettings settings) {
        this.users = users;
        this.throttle = throttle;
        this.issuer = issuer;
        this.currentUser = currentUser;
        this.openRegistration = settings.openRegistration();
    }

    /** Creates a local account: 201, 409 if the name is taken, 400 for a reserved name, 403 when registration is closed. */
    @POST
    @Path("/register")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(
            @NotNull(message = "a JSON body is required") @Valid Credentials credentials,
            @Context HttpServerRequest request) {
        if (!openRegistration) {
            throw new ForbiddenException("registration is closed on this installation");
        }
        String username = Usernames.fold(credentials.username());
        if (Usernames.reserved(username)) {
            throw new BadRequestException("username '" + username + "' is reserved; choose another");
        }
        String address = ClientAddress.of(request);
        throttle.checkSignUp(address);
        if (!users.register(username, credentials.password())) {
            throw new ClientErrorException("username is taken", Response.Status.CONFLICT);
        }
        throttle.signedUp(address);
        return Response.status(Response.Status.CREATED)
                .entity(Map.of("username", username))
                .build();
    }

    /** Signs in: an access token for the REST API. Repeated failures slow further attempts down (429). */
    @POST
    @Path("/token")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public TokenResponse token(
            @NotNull(message = "a JSON body is required") @Valid Credentials credentials,
            @Context HttpServerRequest request) {
        String username = Usernames.fold(credentials.username());
        String address = ClientAddress.of(request);
        throttle.checkSignIn(username, address);
        LocalUsers.Account account =
                users.verify(username, credentials.password()).orElse(null);
        if (account == null) {
            throttle.signInFailed(username, address);
            throw new NotAuthorizedException("wrong username or password", "Bearer");
        }
        throttle.signInSucceeded(username);
        TokenIssuer.IssuedToken token = issuer.accessToken(account.username(), account.roles());
        return new TokenResponse(token.token(), "Bearer", token.expiresIn(), account.roles());
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
