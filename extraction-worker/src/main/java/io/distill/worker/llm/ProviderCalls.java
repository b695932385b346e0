package io.distill.worker.llm;

import dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sees every HTTP request the OpenAI client sends and every answer, whatever thread it runs on.
 * Requests are told apart by the {@code user} field Distill sets per call (OpenAI's end-user tag),
 * so a job learns exactly how many requests it made and what {@code Retry-After} a 429 carried —
 * neither of which the client's exceptions keep.
 */
@Provider
public class ProviderCalls implements ClientRequestFilter, ClientResponseFilter {
    private static final Map<String, Tally> OPEN = new ConcurrentHashMap<>();

    /** Requests made under one tag, and the last Retry-After the provider gave. */
    public static final class Tally {
        private final AtomicInteger requests = new AtomicInteger();
        private volatile Duration retryAfter;

        public int requests() {
            return requests.get();
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** Starts counting the requests made under {@code tag}; {@link #close} ends it. */
    public static Tally open(String tag) {
        Tally tally = new Tally();
        OPEN.put(tag, tally);
        return tally;
    }

    public static void close(String tag) {
        OPEN.remove(tag);
    }

    @Override
    public void filter(ClientRequestContext request) {
        Tally tally = tallyOf(request);
        if (tally != null) {
            tally.requests.incrementAndGet();
        }
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        Tally tally = tallyOf(request);
        if (tally != null && response.getStatus() == 429) {
            tally.retryAfter = parseRetryAfter(response.getHeaderString("Retry-After"));
        }
    }

    private static Tally tallyOf(ClientRequestContext request) {
        return request.getEntity() instanceof ChatCompletionRequest chat && chat.user() != null ? OPEN.get(chat.user()) : null;
    }

    /** Seconds or an HTTP date (RFC 9110); null when absent or unreadable. */
    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
