package io.distill.api.errors;

import io.distill.model.Json;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every request body is held to a limit counted on the bytes actually read — with or without a
 * Content-Length, chunked or not, whatever its declared type: {@code distill.json.max-body-size}
 * for everything but uploads, which stream to disk under {@code distill.upload.max-size} (the
 * HTTP limit, enforced by the multipart parser). Past it: 413 with a JSON reason, then the
 * connection is drained briefly and closed. Runs before any other handler on the public router.
 */
@ApplicationScoped
public class BodyLimitRoute {
    static final String UPLOAD_PATH = "/api/jobs/upload";
    private static final long DRAIN_MILLIS = 2_000;

    private final long maxJsonBytes;
    private final long maxUploadBytes;

    public BodyLimitRoute(
            @ConfigProperty(name = "distill.json.max-body-size") MemorySize json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize upload) {
        this.maxJsonBytes = json.asLongValue();
        this.maxUploadBytes = upload.asLongValue();
    }

    void install(@Observes Router router) {
        // false: a small body is held in memory, never written to a file
        BodyHandler limited = BodyHandler.create(false).setBodyLimit(maxJsonBytes);
        router.route()
                .order(-3)
                .handler(ctx -> {
                    if (ctx.request().method() == HttpMethod.POST && UPLOAD_PATH.equals(ctx.normalizedPath())) {
                        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
                        if (declared != null && declaredLength(declared) > maxUploadBytes) {
                            tooLarge(ctx, "uploads are limited to " + maxUploadBytes + " bytes");
                            return;
                        }
                        ctx.next();
                        return;
                    }
                    if (ctx.request().isEnded() || "0".equals(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH))) {
                        // nothing to read (an empty body): the body handler would wait for an end that already came
                        ctx.next();
                        return;
                    }
                    limited.handle(ctx);
                })
                .failureHandler(ctx -> {
                    if (ctx.response().ended()) {
                        return; // the client went away while sending: nothing to answer, nothing to log
                    }
                    if (ctx.statusCode() == 413) {
                        tooLarge(
                                ctx,
                                "request bodies are limited to " + maxJsonBytes + " bytes; send documents to "
                                        + UPLOAD_PATH);
                    } else if (ctx.statusCode() == 400) {
                        send(ctx, 400, "bad_request", "the request body could not be read");
                    } else {
                        ctx.next();
                    }
                });
    }

    private static long declaredLength(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** 413 with a JSON reason; then the rest of the body is read and dropped for a moment, so the client sees the answer. */
    private static void tooLarge(RoutingContext ctx, String reason) {
        HttpServerRequest request = ctx.request();
        HttpConnection connection = request.connection();
        ctx.response().putHeader("Connection", "close");
        send(ctx, 413, "payload_too_large", reason);
        if (request.isEnded()) {
            connection.close();
            return;
        }
        long timer = ctx.vertx().setTimer(DRAIN_MILLIS, t -> connection.close());
        request.handler(ignored -> {})
                .endHandler(v -> {
                    ctx.vertx().cancelTimer(timer);
                    connection.close();
                })
                .resume();
    }

    /** An {@link ApiError} written on a Vert.x route, outside the REST layer. */
    private static void send(RoutingContext ctx, int status, String code, String reason) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Json.write(new ApiError(code, reason)));
    }
}
