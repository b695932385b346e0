package io.distill.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.distill.api.ratelimit.RateLimitedException;
import io.distill.model.files.UnsupportedFileException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns bad input into a 4xx with a reason, never a bare status or a stack trace. */
public class ErrorMappers {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return error(Response.Status.BAD_REQUEST, "malformed_json", e.getOriginalMessage());
    }

    /** Wrong types, unknown fields, trailing content: named here, not left to the framework's bodiless 400. */
    @ServerExceptionMapper
    public Response mismatchedJson(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response unparseableJson(com.fasterxml.jackson.core.JsonParseException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response uninstantiableJson(com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
        return malformedJson(e);
    }

    /** A multipart body whose structure is broken (a raw line break in a header, a missing boundary). */
    @ServerExceptionMapper
    public Response malformedMultipart(
            org.jboss.resteasy.reactive.server.core.multipart.MultipartParser.MalformedMessageException e) {
        return error(Response.Status.BAD_REQUEST, "bad_request", "the multipart body is malformed");
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        String reason = e.getConstraintViolations().stream()
                .map(ErrorMappers::describe)
                .sorted()
                .collect(Collectors.joining("; "));
        return error(Response.Status.BAD_REQUEST, "invalid_request", reason);
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return challenge("authentication required: send a bearer token");
    }

    @ServerExceptionMapper
    public Response badToken(AuthenticationFailedException e) {
        return challenge("the bearer token is invalid, expired or not from a trusted issuer");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return error(Response.Status.FORBIDDEN, "forbidden", "this needs a role the caller does not have");
    }

    @ServerExceptionMapper
    public Response unsupportedFile(UnsupportedFileException e) {
        return error(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported_file", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidProject(io.distill.model.projects.InvalidProjectException e) {
        // the problems name the user's own definition: as much detail as they need, nothing of ours
        return error(Response.Status.BAD_REQUEST, "invalid_project", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidOptions(io.distill.model.jobs.JobOptions.InvalidOptionsException e) {
        return error(Response.Status.BAD_REQUEST, "invalid_options", e.getMessage());
    }

    @ServerExceptionMapper
    public Response rateLimited(RateLimitedException e) {
        return Response.status(Response.Status.TOO_MANY_REQUESTS)
                .type(MediaType.APPLICATION_JSON)
                .header("Retry-After", e.retryAfterSeconds())
                .entity(new ApiError(e.code(), e.getMessage()))
                .build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        // the REST layer wraps body parse failures: report them as what they are
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() == 401) {
            return challenge(e.getMessage());
        }
        String code = status.getReasonPhrase().toLowerCase().replace(' ', '_');
        return error(status, code, e.getMessage());
    }

    /**
     * PostgreSQL refused a value (SQLSTATE class 22: data exception, or 54: a program limit): the
     * input is at fault, so 400; a busy or restarting database is 503 with Retry-After.
     */
    @ServerExceptionMapper
    public Response database(io.vertx.pgclient.PgException e) {
        String state = e.getSqlState() == null ? "" : e.getSqlState();
        if (state.startsWith("22") || state.startsWith("54")) {
            return error(
                    Response.Status.BAD_REQUEST,
                    "invalid_input",
                    "the database refused a value: " + e.getErrorMessage());
        }
        return unavailable("database", e);
    }

    @ServerExceptionMapper
    public Response poolUnavailable(io.vertx.sqlclient.ClosedConnectionException e) {
        return unavailable("database", e);
    }

    /** Anything else is a bug: 500 with a reference to the one log line that has the details. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        String reference = java.util.UUID.randomUUID().toString().substring(0, 8);
        LOG.errorf(e, "unexpected failure (reference %s)", reference);
        return error(
                Response.Status.INTERNAL_SERVER_ERROR, "internal_error", "unexpected failure; reference " + reference);
    }

    private static Response unavailable(String what, Exception e) {
        LOG.warnf("%s unavailable: %s", what, e.toString());
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .type(MediaType.APPLICATION_JSON)
                .header("Retry-After", 5)
                .entity(new ApiError("unavailable", "the " + what + " is not available right now; try again shortly"))
                .build();
    }

    private static Response challenge(String reason) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .type(MediaType.APPLICATION_JSON)
                .header("WWW-Authenticate", "Bearer realm=\"distill\"")
                .entity(new ApiError("unauthorized", reason))
                .build();
    }

    private static String describe(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        // "submit.request.text" → "text": the method and parameter names mean nothing to callers
        String field = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
        return field + " " + v.getMessage();
    }

    static Response error(Response.StatusType status, String code, String reason) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(code, reason))
                .build();
    }
}
