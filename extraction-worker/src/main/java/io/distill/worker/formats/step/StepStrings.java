package io.distill.worker.formats.step;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ISO 10303-21 string escapes: \X2\…\X0\ (UTF-16 hex), \X\hh (ISO 8859-1), \S\c (upper half). */
final class StepStrings {
    private static final Pattern X2 = Pattern.compile("\\\\X2\\\\((?:[0-9A-Fa-f]{4})+)\\\\X0\\\\");
    private static final Pattern X = Pattern.compile("\\\\X\\\\([0-9A-Fa-f]{2})");
    private static final Pattern S = Pattern.compile("\\\\S\\\\(.)");

    private StepStrings() {
    }

    static String decode(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        String s = replace(X2, raw, hex -> {
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

    private static String replace(Pattern pattern, String s, java.util.function.Function<String, String> f) {
        Matcher m = pattern.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(f.apply(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
