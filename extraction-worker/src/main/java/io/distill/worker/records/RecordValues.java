package io.distill.worker.records;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Reading typed columns out of a validated record, and the duplicate key. */
final class RecordValues {
    private RecordValues() {}

    static String text(Map<String, Object> record, String field) {
        Object value = record.get(field);
        return value == null ? null : value.toString();
    }

    static BigDecimal number(Map<String, Object> record, String field) {
        return record.get(field) instanceof Number n ? new BigDecimal(n.toString()) : null;
    }

    static Boolean bool(Map<String, Object> record, String field) {
        return record.get(field) instanceof Boolean b ? b : null;
    }

    static String normalised(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
        }
        String text = value.toString().strip();
        try {
            return OffsetDateTime.parse(text).toInstant().toString();
        } catch (DateTimeParseException notAnInstant) {
            return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC)
                    .replaceAll("\\s+", " ")
                    .toLowerCase(Locale.ROOT);
        }
    }

    /** An ISO 8601 date-time, or null when absent or not one (the rules decide whether that is an error). */
    static OffsetDateTime timestamp(Map<String, Object> record, String field) {
        String value = text(record, field);
        try {
            return value == null ? null : OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * SHA-256 over the key fields, each normalised to its typed value first, so that the same
     * report written differently is still one report: a date-time as the UTC instant it names
     * ({@code +00:00} and {@code Z} alike), a number without trailing zeros, text in Unicode NFKC,
     * trimmed, lower-cased and with runs of white space made one.
     */
    static String duplicateKey(Map<String, Object> record, List<String> fields) {
        String joined = fields.stream().map(f -> normalised(record.get(f))).collect(Collectors.joining("\u001f"));
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
