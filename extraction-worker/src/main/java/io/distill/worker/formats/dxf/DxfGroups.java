package io.distill.worker.formats.dxf;

import io.distill.model.files.FormatDetector;
import io.distill.worker.formats.InvalidDocumentException;
import io.distill.worker.formats.LimitExceededException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The (group code, value) pairs of a DXF file, ASCII or binary. String values come back byte for
 * byte (as ISO 8859-1 characters): which code page they are in is only known from the header, so
 * the drawing decodes them ({@link DxfText}). Binary values are given in their ASCII DXF form.
 */
abstract class DxfGroups implements AutoCloseable {
    /** Longest value line or string the reader accepts: far above any real DXF value. */
    static final int MAX_VALUE_CHARS = 1 << 20;

    record Group(int code, String value) {}

    /** The next group, or null at the end of the file. */
    abstract Group next() throws IOException;

    @Override
    public abstract void close() throws IOException;

    static DxfGroups open(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        byte[] sentinel = FormatDetector.BINARY_DXF_SENTINEL.getBytes(StandardCharsets.ISO_8859_1);
        in.mark(sentinel.length + 2);
        byte[] head = in.readNBytes(sentinel.length + 2);
        boolean binary = head.length == sentinel.length + 2
                && java.util.Arrays.equals(head, 0, sentinel.length, sentinel, 0, sentinel.length);
        if (binary) {
            // code 0 of the first SECTION: two bytes (0 0) from R13 on, one byte in R12
            boolean wideCodes = head[sentinel.length] == 0 && head[sentinel.length + 1] == 0;
            in.reset();
            in.skipNBytes(sentinel.length);
            return new Binary(in, wideCodes);
        }
        in.reset();
        return new Ascii(in);
    }

    /** Two lines per group: the code, then the value (kept whole: MTEXT chunks may end in a space). */
    private static final class Ascii extends DxfGroups {
        private final BufferedReader lines;

        Ascii(InputStream in) {
            this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
        }

        @Override
        Group next() throws IOException {
            String codeLine = line();
            if (codeLine == null) {
                return null;
            }
            String value = line();
            if (value == null) {
                throw new InvalidDocumentException("the DXF ends in the middle of a group (truncated)");
            }
            try {
                return new Group(Integer.parseInt(codeLine.strip()), value);
            } catch (NumberFormatException e) {
                throw new InvalidDocumentException(
                        "not a DXF: expected a group code, found '" + abbreviate(codeLine) + "'");
            }
        }

        /** A line without its terminator, refused past {@link #MAX_VALUE_CHARS} before it is all in memory. */
        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = lines.read()) >= 0) {
                if (c == '\n') {
                    break;
                }
                line.append((char) c);
                if (line.length() > MAX_VALUE_CHARS) {
                    throw new LimitExceededException("a DXF line is longer than " + MAX_VALUE_CHARS + " characters");
                }
            }
            if (c < 0 && line.isEmpty()) {
                return null;
            }
            int end = line.length();
            if (end > 0 && line.charAt(end - 1) == '\r') {
                line.setLength(end - 1);
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    /** Little-endian codes and values, typed by the code's range (AutoCAD DXF reference, "Binary DXF"). */
    private static final class Binary extends DxfGroups {
        private final DataInputStream in;
        private final boolean wideCodes;

        Binary(InputStream in, boolean wideCodes) {
            this.in = new DataInputStream(in);
            this.wideCodes = wideCodes;
        }

        @Override
        Group next() throws IOException {
            int code;
            try {
                code = wideCodes ? littleEndian(2) : in.readUnsignedByte();
            } catch (EOFException end) {
                return null;
            }
            if (!wideCodes && code == 255) {
                code = littleEndian(2);
            }
            try {
                return new Group(code, value(code));
            } catch (EOFException e) {
                throw new InvalidDocumentException("the binary DXF ends in the middle of a group (truncated)");
            }
        }

        private String value(int code) throws IOException {
            if (code >= 10 && code <= 59
                    || code >= 110 && code <= 149
                    || code >= 210 && code <= 239
                    || code >= 460 && code <= 469
                    || code >= 1010 && code <= 1059) {
                return String.valueOf(ByteBuffer.wrap(in.readNBytes(8))
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getDouble());
            }
            if (code >= 60 && code <= 79
                    || code >= 170 && code <= 179
                    || code >= 270 && code <= 289
                    || code >= 370 && code <= 389
                    || code >= 400 && code <= 409
                    || code >= 1060 && code <= 1070) {
                return String.valueOf((short) littleEndian(2));
            }
            if (code >= 90 && code <= 99 || code >= 420 && code <= 429 || code >= 440 && code <= 449 || code == 1071) {
                return String.valueOf(littleEndian(4));
            }
            if (code >= 160 && code <= 169) {
                return String.valueOf(ByteBuffer.wrap(in.readNBytes(8))
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getLong());
            }
            if (code >= 290 && code <= 299) {
                return String.valueOf(in.readUnsignedByte());
            }
            if (code >= 310 && code <= 319 || code == 1004) {
                in.skipNBytes(in.readUnsignedByte());
                return "";
            }
            return string();
        }

        private String string() throws IOException {
            StringBuilder s = new StringBuilder();
            int c;
            while ((c = in.read()) > 0) {
                s.append((char) c);
                if (s.length() > MAX_VALUE_CHARS) {
                    throw new LimitExceededException(
                            "a binary DXF string is longer than " + MAX_VALUE_CHARS + " bytes");
                }
            }
            if (c < 0) {
                throw new EOFException();
            }
            return s.toString();
        }

        private int littleEndian(int bytes) throws IOException {
            int value = 0;
            for (int i = 0; i < bytes; i++) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException();
                }
                value |= b << (8 * i);
            }
            return value;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
