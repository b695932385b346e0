package io.distill.worker.formats.step;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/** ISO 10303-21 string escapes: \X2\…\X0\ (UTF-16 hex), \X\hh (ISO 8859-1), \S\c (upper half); RE2/J, linear time. */
final class StepStrings {
    private static final Pattern X2 = Pattern.compile("\\\\X2\\\\((?:[0-9A-Fa-f]{4})+)\\\\X0\\\\");
    private static final Pattern X = Pattern.compile("\\\\X\\\\([0-9A-Fa-f]{2})");
    private static final Pattern S = Pattern.compile("\\\\S\\\\(.)");
    private static final Pattern X4 = Pattern.compile("\\\\X4\\\\((?:[0-9A-Fa-f]{8})+)\\\\X0\\\\");

    private StepStrings() {}

    static String decode(String raw) {
        String text = utf8(raw);
        if (text.indexOf('\\') < 0) {
            return text;
        }
        String s = replace(X4, text, hex -> {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < hex.length(); i += 8) {
                int codePoint = (int) Long.parseLong(hex.substring(i, i + 8), 16);
                out.appendCodePoint(Character.isValidCodePoint(codePoint) ? codePoint : 0xFFFD);
            }
            return out.toString();
        });
        s = replace(X2, s, hex -> {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < hex.length(); i += 4) {
                out.append((char) Integer.parseInt(hex.substring(i, i + 4), 16));
            }
            return out.toString();
        });
        s = replace(X, s, hex -> String.valueOf((char) Integer.parseInt(hex, 16)));
        s = replace(S, s, c -> String.valueOf((char) (c.charAt(0) + 128)));
        return s.replace("\\\\", "\\");
    }

    /** The string's bytes (read as ISO 8859-1) decoded as UTF-8 when they are valid UTF-8 with non-ASCII in them. */
    private static String utf8(String raw) {
        boolean ascii = true;
        for (int i = 0; i < raw.length() && ascii; i++) {
            ascii = raw.charAt(i) < 0x80;
        }
        if (ascii) {
            return raw;
        }
        byte[] bytes = raw.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return io.distill.worker.formats.text.TextDecoding.isUtf8(bytes)
                ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : raw;
    }

    private static String replace(Pattern pattern, String s, java.util.function.Function<String, String> f) {
        Matcher m = pattern.matcher(s);
        StringBuffer out = new StringBuffer();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(f.apply(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
