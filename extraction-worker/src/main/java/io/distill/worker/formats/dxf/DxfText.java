package io.distill.worker.formats.dxf;

import io.distill.worker.formats.text.TextDecoding;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The text of a DXF's strings: the file's code page, {@code \U+XXXX} and {@code \M+nXXXX} escapes,
 * TEXT control codes ({@code %%d} …) and MTEXT inline formatting. Single linear passes, no regular
 * expressions: the input is a hostile file's text.
 */
final class DxfText {
    private DxfText() {}

    /**
     * The charset of the drawing's strings. R2007 (AC1021) and later are UTF-8 whatever
     * {@code $DWGCODEPAGE} says; earlier ones use that code page (ANSI_1252 when unknown).
     */
    static Charset charset(String acadVersion, String codePage) {
        if (acadVersion != null && acadVersion.startsWith("AC") && acadVersion.compareTo("AC1021") >= 0) {
            return StandardCharsets.UTF_8;
        }
        String page = codePage == null ? "" : codePage.strip().toUpperCase(Locale.ROOT);
        String name = switch (page) {
            case "ANSI_932", "DOS932" -> "windows-31j";
            case "ANSI_936", "GB2312" -> "GBK";
            case "ANSI_949", "KSC5601" -> "x-windows-949";
            case "ANSI_950", "BIG5" -> "Big5";
            case "ANSI_874" -> "x-windows-874";
            case "ANSI_1361", "JOHAB" -> "x-Johab";
            default ->
                page.startsWith("ANSI_")
                        ? "windows-" + page.substring(5)
                        : page.startsWith("DOS")
                                ? "IBM" + page.substring(3)
                                : page.startsWith("ISO8859-") ? "ISO-8859-" + page.substring(8) : "windows-1252";
        };
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException unknown) {
            return Charset.forName("windows-1252");
        }
    }

    /** A string value read byte for byte, in the drawing's charset; invalid UTF-8 falls back to windows-1252. */
    static String decode(String raw, Charset charset) {
        boolean ascii = true;
        for (int i = 0; i < raw.length() && ascii; i++) {
            ascii = raw.charAt(i) < 0x80;
        }
        String text = ascii ? raw : decodeBytes(raw.getBytes(StandardCharsets.ISO_8859_1), charset);
        return text.indexOf('\\') >= 0 ? unicodeEscapes(text) : text;
    }

    private static String decodeBytes(byte[] bytes, Charset charset) {
        String strict = TextDecoding.strict(bytes, charset);
        // files that claim one code page and hold another: the common case is Western European
        return strict != null ? strict : new String(bytes, Charset.forName("windows-1252"));
    }

    /** {@code \U+03B1} → α, {@code \M+18140} (code page 1 = 932, then two hex bytes) → the character. */
    static String unicodeEscapes(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && s.startsWith("U+", i + 1) && hex(s, i + 3, 4)) {
                out.append((char) Integer.parseInt(s, i + 3, i + 7, 16));
                i += 7;
            } else if (c == '\\'
                    && s.startsWith("M+", i + 1)
                    && i + 8 <= s.length()
                    && s.charAt(i + 3) >= '1'
                    && s.charAt(i + 3) <= '5'
                    && hex(s, i + 4, 4)) {
                byte[] pair = {
                    (byte) Integer.parseInt(s, i + 4, i + 6, 16), (byte) Integer.parseInt(s, i + 6, i + 8, 16)
                };
                out.append(new String(pair, multibyte(s.charAt(i + 3))));
                i += 8;
            } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
                out.append("\\\\"); // an escaped backslash stays escaped for the MTEXT pass
                i += 2;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static Charset multibyte(char page) {
        String name = switch (page) {
            case '1' -> "windows-31j";
            case '2' -> "Big5";
            case '3' -> "x-windows-949";
            case '4' -> "x-Johab";
            default -> "GBK";
        };
        return Charset.forName(name);
    }

    private static boolean hex(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** TEXT control codes: %%d °, %%p ±, %%c ⌀, %%% %, %%nnn a character; %%u/%%o (under-/overline) go. */
    static String text(String s) {
        if (s.indexOf("%%") < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("%%", i) && i + 2 < s.length()) {
                char code = Character.toLowerCase(s.charAt(i + 2));
                if (Character.isDigit(code)
                        && i + 5 <= s.length()
                        && Character.isDigit(s.charAt(i + 3))
                        && Character.isDigit(s.charAt(i + 4))) {
                    out.append((char) Integer.parseInt(s, i + 2, i + 5, 10));
                    i += 5;
                    continue;
                }
                String replacement = switch (code) {
                    case 'd' -> "°";
                    case 'p' -> "±";
                    case 'c' -> "⌀";
                    case '%' -> "%";
                    case 'u', 'o', 'k' -> "";
                    default -> null;
                };
                if (replacement != null) {
                    out.append(replacement);
                    i += 3;
                    continue;
                }
            }
            out.append(s.charAt(i++));
        }
        return out.toString();
    }

    /**
     * MTEXT inline codes to plain text: {@code \P} and {@code ^J} break lines, {@code \N} breaks a
     * column, {@code \~} is a space, {@code \S1/2;} stacks become {@code 1/2}, grouping braces and
     * formatting codes ({@code \f…;}, {@code \H2x;}, {@code \L} …) go, {@code \\ \{ \}} are literals.
     */
    static String mtext(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int semicolon = -1; // the next ';' at or after the current code, found once: no rescans (linear time)
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '^' && i + 1 < s.length()) {
                char next = s.charAt(i + 1);
                out.append(next == 'J' ? "\n" : next == 'I' ? "\t" : next == ' ' ? "^" : "");
                i += 2;
                continue;
            }
            if (c == '{' || c == '}') {
                i++;
                continue;
            }
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                i++;
                continue;
            }
            char code = s.charAt(i + 1);
            if ("SACcFfHQTWpX".indexOf(code) >= 0) {
                if (semicolon != Integer.MAX_VALUE && semicolon < i + 2) {
                    semicolon = s.indexOf(';', i + 2);
                    semicolon = semicolon < 0 ? Integer.MAX_VALUE : semicolon;
                }
                if (semicolon != Integer.MAX_VALUE) {
                    if (code == 'S') {
                        out.append(
                                s.substring(i + 2, semicolon).replace('^', '/').replace('#', '/'));
                    }
                    i = semicolon + 1;
                    continue;
                }
            }
            switch (code) {
                case 'P' -> out.append('\n');
                case 'N' -> out.append("\n\n");
                case '~' -> out.append(' ');
                case 'L', 'l', 'O', 'o', 'K', 'k' -> {}
                default -> out.append(code);
            }
            i += 2;
        }
        return out.toString();
    }
}
