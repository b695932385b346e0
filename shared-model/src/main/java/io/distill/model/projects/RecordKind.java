package io.distill.model.projects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/** The typed tables a template's records are also written to, beside the JSONB result. */
public enum RecordKind {
    NEWS_EVENT, BROKER_REPORT, DRAWING;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RecordKind of(String code) {
        return Arrays.stream(values()).filter(k -> k.code().equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("record must be one of news_event, broker_report, drawing"));
    }
}
