package io.distill.worker.llm;

import io.distill.worker.formats.DocumentModel;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the quote the model gave for a value in the document text: exactly, else ignoring case
 * and differences in white space (models often re-flow line breaks). The evidence then carries the
 * page and character span of the original text.
 */
final class Grounding {
    private Grounding() {}

    static Optional<Evidence> locate(DocumentModel document, String quote) {
        if (quote == null || quote.isBlank()) {
            return Optional.empty();
        }
        String text = document.text();
        String wanted = quote.strip();
        int exact = text.indexOf(wanted);
        if (exact >= 0) {
            return Optional.of(Evidence.of(document, exact, exact + wanted.length()));
        }
        return loose(text, wanted).map(span -> Evidence.of(document, span[0], span[1]));
    }

    /** Matches with case folded and every run of white space as one space; returns the span in the original text. */
    private static Optional<int[]> loose(String text, String quote) {
        StringBuilder folded = new StringBuilder(text.length());
        int[] origin = new int[text.length() + 1];
        boolean lastSpace = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (!lastSpace) {
                    origin[folded.length()] = i;
                    folded.append(' ');
                }
                lastSpace = true;
            } else {
                origin[folded.length()] = i;
                folded.append(Character.toLowerCase(c));
                lastSpace = false;
            }
        }
        String needle = quote.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        int at = folded.indexOf(needle);
        if (at < 0) {
            return Optional.empty();
        }
        int last = origin[at + needle.length() - 1];
        return Optional.of(new int[] {origin[at], last + 1});
    }
}
