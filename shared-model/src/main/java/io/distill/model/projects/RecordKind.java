package io.distill.model.projects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The typed tables a template's records are also written to, beside the JSONB result, with the
 * fields each table cannot do without and whether its rows are deduplicated by the project's key.
 */
public enum RecordKind {
    NEWS_EVENT(List.of("event_fingerprint", "event_action"), false),
    BROKER_REPORT(List.of("title"), true),
    DRAWING(List.of("title"), false);

    private final List<String> requiredFields;
    private final boolean deduplicated;

    RecordKind(List<String> requiredFields, boolean deduplicated) {
        this.requiredFields = requiredFields;
        this.deduplicated = deduplicated;
    }

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public List<String> requiredFields() {
        return requiredFields;
    }

    public boolean deduplicated() {
        return deduplicated;
    }

    @JsonCreator
    public static RecordKind of(String code) {
        return Arrays.stream(values())
                .filter(k -> k.code().equals(code))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("record must be one of news_event, broker_report, drawing"));
    }
}
