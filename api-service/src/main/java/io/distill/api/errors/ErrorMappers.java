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
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/** Turns bad input into a 4xx with a reason, never a bare status or a stack trace. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return error(Response.Status.BAD_REQUEST, "malformed_json", e.getOriginalMessage());
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
        return error(Response.Status.BAD_REQUEST, "invalid_project", e.getMessage());
    }

    @ServerExceptionMapper
    public Response rateLimited(RateLimitedException e) {
        return Response.status(Response.Status.TOO_MANY_REQUESTS).type(MediaType.APPLICATION_JSON)
                .header("Retry-After", e.retryAfterSeconds())
                .entity(new ApiError(e.code(), e.getMessage())).build();
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

    private static Response challenge(String reason) {
        return Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON)
                .header("WWW-Authenticate", "Bearer realm=\"distill\"")
                .entity(new ApiError("unauthorized", reason)).build();
    }

    private static String describe(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        // "submit.request.text" → "text": the method and parameter names mean nothing to callers
        String field = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
        return field + " " + v.getMessage();
    }

    static Response error(Response.StatusType status, String code, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(code, reason)).build();
    }
}
