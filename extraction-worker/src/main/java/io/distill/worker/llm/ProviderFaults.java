package io.distill.worker.llm;

import com.fasterxml.jackson.core.JacksonException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import io.distill.model.ErrorClass;
import io.distill.worker.pipeline.PipelineException;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A provider failure as the job sees it, {@code provider_error:<class>}: rate_limited (retried,
 * not before Retry-After), quota_exhausted and unauthorized (final: retrying cannot fix a key or
 * an empty account), timeout and server_error (retried with backoff), bad_request and refusal
 * (final: the same request gets the same answer).
 */
final class ProviderFaults {
    private static final int MOST_CAUSES = 16;

    private ProviderFaults() {}

    static PipelineException classify(RuntimeException failure, Duration retryAfter) {
        Integer status = statusOf(failure);
        String body = failure.getMessage() == null ? "" : failure.getMessage();
        if (failure instanceof ContentFilteredException) {
            return permanent("refusal", "the model refused: " + shorten(body), failure);
        }
        if (status != null && status == 429) {
            if (body.contains("insufficient_quota")) {
                return permanent("quota_exhausted", "HTTP 429, the account's quota is exhausted", failure);
            }
            return new PipelineException(
                    ErrorClass.PROVIDER_ERROR,
                    "rate_limited: HTTP 429"
                            + (retryAfter == null ? "" : ", Retry-After " + retryAfter.toSeconds() + " s"),
                    true,
                    retryAfter,
                    failure);
        }
        if (failure instanceof AuthenticationException || status != null && (status == 401 || status == 403)) {
            return permanent("unauthorized", "HTTP " + status + ", the provider refused the API key", failure);
        }
        if (isTimeout(failure)) {
            return retryable("timeout", "no answer within the configured timeout", failure);
        }
        if (status != null && status >= 500) {
            return retryable("server_error", "HTTP " + status, failure);
        }
        if (failure instanceof InvalidRequestException
                || failure instanceof ModelNotFoundException
                || status != null && status >= 400) {
            return permanent("bad_request", "HTTP " + status + ": " + shorten(body), failure);
        }
        return retryable("unavailable", failure.getClass().getSimpleName() + ": " + shorten(body), failure);
    }

    /**
     * The request's connection failed (closed, reset, refused): no HTTP status, no timeout, an I/O
     * failure of the socket among the causes. An answer that did not parse (Jackson's exceptions
     * are I/O exceptions too) and an interrupted read are not.
     */
    static boolean connectionLost(RuntimeException failure) {
        if (statusOf(failure) != null || isTimeout(failure)) {
            return false;
        }
        boolean socket = false;
        for (Throwable t : causes(failure)) {
            if (t instanceof JacksonException || t instanceof InterruptedIOException) {
                return false;
            }
            socket |= t instanceof IOException || t instanceof HttpClosedException;
        }
        return socket;
    }

    /** The failure's class and message, flattened and cut short, for a log line. */
    static String describe(RuntimeException failure) {
        List<Throwable> causes = causes(failure);
        Throwable root = causes.get(causes.size() - 1);
        return failure.getClass().getSimpleName() + " (" + root.getClass().getName() + ": "
                + shorten(String.valueOf(root.getMessage())) + ")";
    }

    private static Integer statusOf(Throwable failure) {
        for (Throwable t : causes(failure)) {
            if (t instanceof HttpException http) {
                return http.statusCode();
            }
        }
        return null;
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable t : causes(failure)) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof dev.langchain4j.exception.TimeoutException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof SocketTimeoutException
                    || message.contains("timeout")
                    || message.contains("timed out")) {
                return true;
            }
        }
        return false;
    }

    /** The failure and its causes, at most {@value #MOST_CAUSES} (a chain may loop). */
    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable t = failure; t != null && causes.size() < MOST_CAUSES; t = t.getCause()) {
            causes.add(t);
        }
        return causes;
    }

    private static PipelineException permanent(String kind, String detail, Throwable cause) {
        return PipelineException.permanent(ErrorClass.PROVIDER_ERROR, kind + ": " + detail, cause);
    }

    private static PipelineException retryable(String kind, String detail, Throwable cause) {
        return new PipelineException(ErrorClass.PROVIDER_ERROR, kind + ": " + detail, true, null, cause);
    }

    static String shorten(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }
}
