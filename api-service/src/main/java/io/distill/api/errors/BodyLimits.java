package io.distill.api.errors;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.quarkus.runtime.configuration.MemorySize;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The HTTP body limit must admit uploads (tens of MiB, streamed to disk), so JSON requests get
 * their own, smaller one here, checked on the declared length before the body is read.
 */
public class BodyLimits {
    private final long maxJsonBytes;

    public BodyLimits(@ConfigProperty(name = "distill.json.max-body-size") MemorySize maxJson) {
        this.maxJsonBytes = maxJson.asLongValue();
    }

    @ServerRequestFilter(preMatching = true)
    public Response limitJson(ContainerRequestContext request) {
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (type == null || !type.startsWith("application/json") || length == null) {
            return null;
        }
        try {
            if (Long.parseLong(length) > maxJsonBytes) {
                return ErrorMappers.error(Response.Status.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                        "JSON bodies are limited to " + maxJsonBytes + " bytes; send documents to /api/jobs/upload");
            }
        } catch (NumberFormatException e) {
            return ErrorMappers.error(Response.Status.BAD_REQUEST, "bad_request", "Content-Length is not a number");
        }
        return null;
    }
}
