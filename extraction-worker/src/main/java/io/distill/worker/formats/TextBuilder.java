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
        text.append(clean(content.strip()));
        if (text.length() > maxChars) {
            throw new LimitExceededException("document text exceeds " + maxChars + " characters");
        }
        sections.add(new DocumentModel.Section(page, kind, start, text.length()));
        return this;
    }

    /**
     * Text as it can be stored and shown: control characters other than tab and line breaks
     * dropped (NUL cannot be stored at all), unpaired surrogates replaced by U+FFFD.
     */
    public static String clean(String content) {
        StringBuilder out = null;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            boolean keep;
            char replacement = 0;
            if (Character.isHighSurrogate(c)
                    && i + 1 < content.length()
                    && Character.isLowSurrogate(content.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(content.charAt(i + 1));
                }
                i++;
                continue;
            } else if (Character.isSurrogate(c)) {
                keep = false;
                replacement = '\uFFFD';
            } else {
                keep = c == '\t' || c == '\n' || c == '\r' || !(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0));
            }
            if (!keep && out == null) {
                out = new StringBuilder(content.length()).append(content, 0, i);
            }
            if (out != null) {
                if (keep) {
                    out.append(c);
                } else if (replacement != 0) {
                    out.append(replacement);
                }
            }
        }
        return out == null ? content : out.toString();
    }

    /** A document inside this one (an e-mail's attachment): a label, then its sections, their kinds prefixed. */
    public TextBuilder nested(String label, DocumentModel document) {
        section(1, "attachment", label);
        for (DocumentModel.Section nested : document.sections()) {
            section(nested.page(), "attachment:" + nested.kind(), document.sectionText(nested));
        }
        return this;
    }

    public int length() {
        return text.length();
    }

    public DocumentModel build(String format, java.util.Map<String, Object> metadata) {
        return new DocumentModel(format, text.toString(), List.copyOf(sections), cleanValues(metadata));
    }

    /** Metadata read from the file (titles, authors…) is text from the file too. */
    @SuppressWarnings("unchecked")
    static <T> T cleanValues(T value) {
        if (value instanceof String s) {
            return (T) clean(s);
        }
        if (value instanceof java.util.Map<?, ?> map) {
            java.util.Map<String, Object> copy = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(clean(String.valueOf(k)), cleanValues(v)));
            return (T) copy;
        }
        if (value instanceof java.util.List<?> list) {
            return (T) list.stream().map(TextBuilder::cleanValues).toList();
        }
        return value;
    }
}
