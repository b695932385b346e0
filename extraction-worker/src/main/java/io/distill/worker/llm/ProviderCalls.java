package io.distill.worker.llm;

import dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse;
import dev.langchain4j.model.openai.internal.shared.Usage;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
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
 * so a job learns exactly how many requests it made, what {@code Retry-After} a 429 carried and
 * what tokens an answer used — none of which the client's exceptions keep (a refusal is thrown as
 * an exception, but its tokens are billed).
 */
@Provider
public class ProviderCalls implements ClientRequestFilter, ClientResponseFilter, ReaderInterceptor {
    private static final Map<String, Tally> OPEN = new ConcurrentHashMap<>();
    private static final String TAG = "distill.tag";

    /** Requests made under one tag, the last Retry-After the provider gave, and the tokens of the last answer. */
    public static final class Tally {
        private final AtomicInteger requests = new AtomicInteger();
        private volatile boolean answered;
        private volatile Duration retryAfter;
        private volatile Usage usage;

        /** Token usage of the last parsed answer, or null. */
        public Usage usage() {
            return usage;
        }

        public int requests() {
            return requests.get();
        }

        /** Whether an answer's body began to be read for this tag (whether or not it parsed). */
        public boolean answered() {
            return answered;
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
            request.setProperty(TAG, ((ChatCompletionRequest) request.getEntity()).user());
        }
    }

    /** Reads the answer as the client does, and marks it answered and keeps its token usage under the request's tag. */
    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws java.io.IOException {
        Tally tally = context.getProperty(TAG) instanceof String tag ? OPEN.get(tag) : null;
        if (tally != null) {
            tally.answered = true;
        }
        Object body = context.proceed();
        if (tally != null && body instanceof ChatCompletionResponse response && response.usage() != null) {
            tally.usage = response.usage();
        }
        return body;
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        Tally tally = tallyOf(request);
        if (tally != null && response.getStatus() == 429) {
            tally.retryAfter = parseRetryAfter(response.getHeaderString("Retry-After"));
        }
    }

    private static Tally tallyOf(ClientRequestContext request) {
        return request.getEntity() instanceof ChatCompletionRequest chat && chat.user() != null
                ? OPEN.get(chat.user())
                : null;
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
                Duration until = Duration.between(
                        ZonedDateTime.now(), ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
