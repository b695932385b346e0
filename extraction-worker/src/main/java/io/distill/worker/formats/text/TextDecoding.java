package io.distill.worker.formats.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.tika.parser.txt.CharsetDetector;
import org.apache.tika.parser.txt.CharsetMatch;

/**
 * Bytes of unknown provenance to text: a byte-order mark decides; then the charset the file
 * declares, if the bytes really are in it; then strict UTF-8; then Tika's charset detector (ICU's
 * statistical detector: windows-125x, KOI8-R, Shift_JIS, EBCDIC…); windows-1252 when all else fails.
 */
public final class TextDecoding {
    /** How much the detector looks at: enough for its statistics, bounded for big files. */
    private static final int DETECTOR_SAMPLE = 64 * 1024;

    private static final int MIN_CONFIDENCE = 30;
    private static final Charset FALLBACK = Charset.forName("windows-1252");

    private TextDecoding() {}

    public static String decode(byte[] bytes) {
        return decode(bytes, null);
    }

    /** @param declared the charset the document names (a MIME or meta charset), or null */
    public static String decode(byte[] bytes, String declared) {
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            return new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        }
        if (startsWith(bytes, 0xFE, 0xFF)) {
            return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16BE);
        }
        if (startsWith(bytes, 0xFF, 0xFE)) {
            return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE);
        }
        Charset named = charset(declared);
        if (named != null) {
            String text = strict(bytes, named);
            if (text != null) {
                return text;
            }
        }
        String utf8 = strict(bytes, StandardCharsets.UTF_8);
        if (utf8 != null) {
            return utf8;
        }
        CharsetDetector detector = new CharsetDetector();
        detector.setText(bytes.length > DETECTOR_SAMPLE ? java.util.Arrays.copyOf(bytes, DETECTOR_SAMPLE) : bytes);
        CharsetMatch match = detector.detect();
        Charset detected = match != null && match.getConfidence() >= MIN_CONFIDENCE ? charset(match.getName()) : null;
        return new String(bytes, detected != null ? detected : FALLBACK);
    }

    /** Whether the bytes are valid UTF-8 (ASCII included). */
    public static boolean isUtf8(byte[] bytes) {
        return strict(bytes, StandardCharsets.UTF_8) != null;
    }

    /** The bytes in {@code charset} if every one is valid there, else null. */
    public static String strict(byte[] bytes, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            Charset charset = Charset.forName(name.strip());
            // "ISO-8859-1" declared is nearly always windows-1252 in practice (WHATWG Encoding)
            return charset.equals(StandardCharsets.ISO_8859_1) || charset.equals(StandardCharsets.US_ASCII)
                    ? FALLBACK
                    : charset;
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
