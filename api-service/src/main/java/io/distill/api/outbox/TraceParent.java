package io.distill.api.outbox;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.List;

/** The current trace as a W3C {@code traceparent} value, and back: how a trace crosses the outbox table. */
final class TraceParent {
    private static final TextMapGetter<String> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private TraceParent() {
    }

    /** The current span as a traceparent, or null outside any trace (tracing off). */
    static String current() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex() : null;
    }

    static Context toContext(String traceparent) {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, GETTER);
    }
}
