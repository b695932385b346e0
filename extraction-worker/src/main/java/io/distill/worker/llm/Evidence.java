package io.distill.worker.llm;

import io.distill.worker.formats.DocumentModel;

/**
 * Where a value was found: the quote, its page and character span in the document text, and a
 * little text around it so a reader sees the value in place.
 */
public record Evidence(String quote, int page, int start, int end, String before, String after) {
    private static final int CONTEXT = 60;

    /** The evidence for the span [start, end) of the document's text. */
    public static Evidence of(DocumentModel document, int start, int end) {
        String text = document.text();
        int page = document.sections().stream()
                .filter(s -> s.start() <= start && start < s.end())
                .map(DocumentModel.Section::page)
                .findFirst()
                .orElse(1);
        return new Evidence(
                text.substring(start, end),
                page,
                start,
                end,
                text.substring(Math.max(0, start - CONTEXT), start),
                text.substring(end, Math.min(text.length(), end + CONTEXT)));
    }
}
