package io.distill.worker.formats;

import java.util.List;
import java.util.Map;

/**
 * What TEXT_EXTRACT hands to extraction, whatever the format: the full text, its sections with
 * their offsets into that text (so that extracted values can be grounded), and format metadata.
 */
public record DocumentModel(String format, String text, List<Section> sections, Map<String, Object> metadata) {

    /** A page, paragraph or part; {@code start}/{@code end} are character offsets into {@link #text()}. */
    public record Section(int page, String kind, int start, int end) {}

    public String sectionText(Section section) {
        return text.substring(section.start(), section.end());
    }

    /**
     * The first {@code chars} characters (never half a surrogate pair), sections cut with them;
     * {@code metadata.cut} says how long the text was.
     */
    public DocumentModel cutAt(int chars) {
        if (text.length() <= chars) {
            return this;
        }
        int end = Character.isHighSurrogate(text.charAt(chars - 1)) ? chars - 1 : chars;
        List<Section> kept = sections.stream()
                .filter(s -> s.start() < end)
                .map(s -> new Section(s.page(), s.kind(), s.start(), Math.min(s.end(), end)))
                .toList();
        Map<String, Object> cutMetadata = new java.util.LinkedHashMap<>(metadata);
        cutMetadata.put("cut", Map.of("keptChars", end, "totalChars", text.length()));
        return new DocumentModel(format, text.substring(0, end), kept, cutMetadata);
    }
}
