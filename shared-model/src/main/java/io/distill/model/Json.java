package io.distill.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/** The wire format of the events and messages: one mapper configuration for every service. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Key order fixed, so that equal requests hash equally (idempotency keys). */
    private static final ObjectMapper CANONICAL = MAPPER.copy()
            .enable(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** For caller-supplied JSON inside other fields (an upload's options): one value, bounded nesting. */
    private static final com.fasterxml.jackson.databind.ObjectReader STRICT = new ObjectMapper(
                    com.fasterxml.jackson.core.JsonFactory.builder()
                            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                                    .maxNestingDepth(64)
                                    .build())
                            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .reader();

    private Json() {}

    public static com.fasterxml.jackson.databind.ObjectReader strictReader() {
        return STRICT;
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SHA-256 of the canonical JSON of {@code value}, hex encoded. */
    public static String canonicalHash(Object value) {
        try {
            byte[] digest =
                    java.security.MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(value));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a message; throws {@link IllegalArgumentException} with the reason on bad input. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "unparseable " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
