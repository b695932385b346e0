package io.distill.worker.llm;

import java.util.ArrayList;
import java.util.List;

/** Cuts a long text into parts of at most {@code maxChars}, preferring paragraph, then line, then word breaks. */
final class Chunks {
    record Chunk(int offset, String text) {}

    private Chunks() {}

    static List<Chunk> split(String text, int maxChars) {
        List<Chunk> chunks = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + maxChars);
            if (end < text.length()) {
                end = breakBefore(text, start, end);
            }
            chunks.add(new Chunk(start, text.substring(start, end)));
            start = end;
        }
        if (chunks.isEmpty()) {
            chunks.add(new Chunk(0, ""));
        }
        return chunks;
    }

    private static int breakBefore(String text, int start, int end) {
        int half = start + (end - start) / 2;
        for (String separator : new String[] {"\n\n", "\n", " "}) {
            int at = text.lastIndexOf(separator, end - separator.length());
            if (at > half) {
                return at + separator.length();
            }
        }
        return end;
    }
}
