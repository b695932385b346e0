package io.distill.worker.formats;

import java.util.List;
import java.util.Map;

/**
 * What TEXT_EXTRACT hands to extraction, whatever the format: the full text, its sections with
 * their offsets into that text (so that extracted values can be grounded), and format metadata.
 */
public record DocumentModel(String format, String text, List<Section> sections, Map<String, Object> metadata) {

    /** A page, paragraph or part; {@code start}/{@code end} are character offsets into {@link #text()}. */
    public record Section(int page, String kind, int start, int end) {
    }

    public String sectionText(Section section) {
        return text.substring(section.start(), section.end());
    }
}
