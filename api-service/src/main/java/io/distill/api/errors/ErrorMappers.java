package io.distill.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
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
    public Response webApplication(WebApplicationException e) {
        // the REST layer wraps body parse failures: report them as what they are
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        String code = status.getReasonPhrase().toLowerCase().replace(' ', '_');
        return error(status, code, e.getMessage());
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
