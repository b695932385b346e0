package io.distill.worker.formats;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a document's text section by section, keeping each section's offsets, and stops the
 * document when it passes the text limit.
 */
public final class TextBuilder {
    private final StringBuilder text = new StringBuilder();
    private final List<DocumentModel.Section> sections = new ArrayList<>();
    private final int maxChars;

    public TextBuilder(int maxChars) {
        this.maxChars = maxChars;
    }

    public TextBuilder section(int page, String kind, String content) {
        if (content == null || content.isBlank()) {
            return this;
        }
        if (text.length() > 0) {
            text.append("\n\n");
        }
        int start = text.length();
        text.append(content.strip());
        if (text.length() > maxChars) {
            throw new LimitExceededException("document text exceeds " + maxChars + " characters");
        }
        sections.add(new DocumentModel.Section(page, kind, start, text.length()));
        return this;
    }

    public int length() {
        return text.length();
    }

    public DocumentModel build(String format, java.util.Map<String, Object> metadata) {
        return new DocumentModel(format, text.toString(), List.copyOf(sections), metadata);
    }
}
