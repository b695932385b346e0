package io.distill.worker.formats.step;

import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.InvalidDocumentException;
import io.distill.worker.formats.LimitExceededException;
import io.distill.worker.formats.Source;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams an ISO 10303-21 ("STEP physical file", also IFC) statement by statement and parses each
 * into a {@link StepEntity}. Only one statement is in memory at a time, bounded in size and
 * nesting, so a 200 MB model needs no more heap than its largest entity and a hostile file fails as
 * a validation error. No maintained STEP/IFC reader for the JVM is on Maven Central, hence this one.
 */
public final class StepReader implements AutoCloseable {
    private final Reader in;
    private final int maxStatementChars;
    private final int maxNesting;
    private final StringBuilder statement = new StringBuilder();

    public StepReader(Reader in, int maxStatementChars, int maxNesting) {
        this.in = in;
        this.maxStatementChars = maxStatementChars;
        this.maxNesting = maxNesting;
    }

    /**
     * Opens the document (byte for byte; {@link StepStrings} decodes strings) within the STEP limits and reads its
     * first statement, which must be the ISO-10303-21 keyword.
     */
    public static StepReader open(Source source, ExtractionLimits limits) throws IOException {
        java.io.InputStream in = new java.io.BufferedInputStream(source.open());
        // some exporters start the file with a UTF-8 byte-order mark
        in.mark(3);
        byte[] bom = in.readNBytes(3);
        if (!(bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF)) {
            in.reset();
        }
        StepReader reader = new StepReader(
                new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1)),
                limits.maxStepEntityBytes(),
                limits.maxStepNesting());
        try {
            StepEntity first = reader.next();
            if (first == null || !first.type().equals("ISO-10303-21")) {
                throw new InvalidDocumentException("not an ISO 10303-21 file");
            }
            return reader;
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The next statement (entity instance, header entity or keyword such as DATA), or null at the end. */
    public StepEntity next() throws IOException {
        statement.setLength(0);
        boolean inString = false;
        int c;
        while ((c = in.read()) >= 0) {
            char ch = (char) c;
            if (inString) {
                statement.append(ch);
                if (ch == '\'') {
                    in.mark(1);
                    int after = in.read();
                    if (after == '\'') {
                        statement.append('\'');
                    } else {
                        inString = false;
                        if (after >= 0) {
                            in.reset();
                        }
                    }
                }
            } else if (ch == '\'') {
                inString = true;
                statement.append(ch);
            } else if (ch == '/' && peek() == '*') {
                skipComment();
            } else if (ch == ';') {
                String text = statement.toString().strip();
                if (!text.isEmpty()) {
                    return StepEntity.parse(text, maxNesting);
                }
            } else if (!Character.isWhitespace(ch) || statement.length() > 0) {
                statement.append(ch);
            }
            if (statement.length() > maxStatementChars) {
                throw new LimitExceededException(
                        "a STEP statement is longer than " + maxStatementChars + " characters");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new LimitExceededException("extraction interrupted (time limit)");
            }
        }
        if (inString || !statement.toString().isBlank()) {
            throw new InvalidDocumentException("the file ends inside a statement (truncated)");
        }
        return null;
    }

    private int peek() throws IOException {
        in.mark(1);
        int c = in.read();
        in.reset();
        return c;
    }

    private void skipComment() throws IOException {
        in.read(); // the '*'
        int previous = 0;
        int c;
        while ((c = in.read()) >= 0) {
            if (previous == '*' && c == '/') {
                return;
            }
            previous = c;
        }
        throw new InvalidDocumentException("the file ends inside a comment (truncated)");
    }

    /** Splits a statement's parameter list into values; exposed for the entity parser. */
    static List<Object> parameters(String text, int[] position, int depth, int maxNesting) {
        if (depth > maxNesting) {
            throw new LimitExceededException("STEP parameters nest deeper than " + maxNesting);
        }
        List<Object> values = new ArrayList<>();
        expect(text, position, '(');
        skipSpaces(text, position);
        if (peek(text, position) == ')') {
            position[0]++;
            return values;
        }
        while (true) {
            values.add(value(text, position, depth, maxNesting));
            skipSpaces(text, position);
            char ch = next(text, position);
            if (ch == ')') {
                return values;
            }
            if (ch != ',') {
                throw new InvalidDocumentException(
                        "malformed STEP parameters near '" + around(text, position[0]) + "'");
            }
        }
    }

    private static Object value(String text, int[] position, int depth, int maxNesting) {
        skipSpaces(text, position);
        char ch = peek(text, position);
        if (ch == '\'') {
            return string(text, position);
        }
        if (ch == '(') {
            return parameters(text, position, depth + 1, maxNesting);
        }
        if (ch == '#') {
            position[0]++;
            return new StepEntity.Ref(Long.parseLong(token(text, position)));
        }
        if (ch == '.') {
            int end = text.indexOf('.', position[0] + 1);
            if (end < 0) {
                throw new InvalidDocumentException(
                        "unterminated STEP enumeration near '" + around(text, position[0]) + "'");
            }
            String name = text.substring(position[0] + 1, end);
            position[0] = end + 1;
            return new StepEntity.Enum(name);
        }
        if (ch == '$' || ch == '*') {
            position[0]++;
            return null;
        }
        String token = token(text, position);
        skipSpaces(text, position);
        if (peek(text, position) == '(') {
            List<Object> inner = parameters(text, position, depth + 1, maxNesting);
            return new StepEntity.Typed(token, inner.isEmpty() ? null : inner.get(0));
        }
        try {
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw new InvalidDocumentException("unexpected STEP value '" + token + "'");
        }
    }

    private static String string(String text, int[] position) {
        StringBuilder value = new StringBuilder();
        position[0]++; // opening quote
        while (position[0] < text.length()) {
            char ch = text.charAt(position[0]++);
            if (ch == '\'') {
                if (position[0] < text.length() && text.charAt(position[0]) == '\'') {
                    value.append('\'');
                    position[0]++;
                } else {
                    return StepStrings.decode(value.toString());
                }
            } else {
                value.append(ch);
            }
        }
        throw new InvalidDocumentException("unterminated STEP string");
    }

    static String token(String text, int[] position) {
        int start = position[0];
        while (position[0] < text.length()) {
            char ch = text.charAt(position[0]);
            // names (IFCWALL), ids and numbers (-1.5E-3); enumerations are read before getting here
            if (Character.isLetterOrDigit(ch) || ch == '_' || ch == '-' || ch == '+' || ch == '.') {
                position[0]++;
            } else {
                break;
            }
        }
        if (start == position[0]) {
            throw new InvalidDocumentException("malformed STEP value near '" + around(text, start) + "'");
        }
        return text.substring(start, position[0]);
    }

    private static void expect(String text, int[] position, char expected) {
        skipSpaces(text, position);
        if (next(text, position) != expected) {
            throw new InvalidDocumentException(
                    "expected '" + expected + "' in STEP statement near '" + around(text, position[0]) + "'");
        }
    }

    private static char next(String text, int[] position) {
        if (position[0] >= text.length()) {
            throw new InvalidDocumentException("STEP statement ends early");
        }
        return text.charAt(position[0]++);
    }

    private static char peek(String text, int[] position) {
        return position[0] < text.length() ? text.charAt(position[0]) : '\0';
    }

    static void skipSpaces(String text, int[] position) {
        while (position[0] < text.length() && Character.isWhitespace(text.charAt(position[0]))) {
            position[0]++;
        }
    }

    private static String around(String text, int at) {
        return text.substring(Math.max(0, at - 20), Math.min(text.length(), at + 20));
    }
}
