package io.distill.worker.formats.pdf;

import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * PDFBox's text stripper in content order, with one correction: text that a producer draws later
 * but further left on the same line (a page header's "Page 1 of 9" before its title) is a new word,
 * not glued to the previous one ("9Survey").
 */
final class PageTextStripper extends PDFTextStripper {

    @Override
    protected void writeString(String text, List<TextPosition> positions) throws IOException {
        if (!jumpsBack(positions)) {
            super.writeString(text, positions);
            return;
        }
        StringBuilder out = new StringBuilder(text.length() + 4);
        TextPosition previous = null;
        for (TextPosition position : positions) {
            if (previous != null && backwards(previous, position)) {
                out.append(getWordSeparator());
            }
            out.append(position.getUnicode());
            previous = position;
        }
        super.writeString(out.toString(), positions);
    }

    private static boolean jumpsBack(List<TextPosition> positions) {
        for (int i = 1; i < positions.size(); i++) {
            if (backwards(positions.get(i - 1), positions.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** Left-to-right text whose next glyph starts left of where the previous one began. */
    private static boolean backwards(TextPosition previous, TextPosition next) {
        return next.getXDirAdj() < previous.getXDirAdj() - previous.getWidthDirAdj()
                && leftToRight(previous)
                && leftToRight(next);
    }

    private static boolean leftToRight(TextPosition position) {
        String unicode = position.getUnicode();
        if (unicode == null || unicode.isEmpty()) {
            return false;
        }
        byte direction = Character.getDirectionality(unicode.codePointAt(0));
        return direction != Character.DIRECTIONALITY_RIGHT_TO_LEFT
                && direction != Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }
}
