package io.distill.model.jobs;

import com.google.re2j.Pattern;
import io.distill.model.projects.ProjectDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a caller may ask of one job, checked where jobs are submitted (an unknown key or a wrong
 * type is a 400 naming the accepted keys) and applied by the worker:
 * <ul>
 * <li>{@code pages}: PDF pages to read, as ranges ({@code "1-3,7,10-12"});</li>
 * <li>{@code ocr}: {@code auto} (pages without a text layer), {@code off}, {@code force} (every page);</li>
 * <li>{@code ocrLanguage}: Tesseract language codes ({@code "eng"}, {@code "deu+eng"});</li>
 * <li>{@code attachments}: whether an e-mail's attachments are read (default true);</li>
 * <li>{@code maxChars}: the most text kept from the document (the rest is cut, not refused);</li>
 * <li>{@code model}: the model for this job, one the project allows ({@code model.name} or {@code model.allowed});</li>
 * <li>{@code force}: extract again even when the same file was already extracted for the user with the same
 * project version and options (by default such an upload completes at once with a copy of that result).</li>
 * </ul>
 * Options apply to the job's own document; its attachments are read with the OCR choices only.
 */
public record JobOptions(
        List<PageRange> pages,
        Ocr ocr,
        String ocrLanguage,
        boolean attachments,
        Integer maxChars,
        String model,
        boolean force) {
    public static final JobOptions DEFAULTS = new JobOptions(List.of(), Ocr.AUTO, null, true, null, null, false);
    public static final List<String> KEYS =
            List.of("pages", "ocr", "ocrLanguage", "attachments", "maxChars", "model", "force");
    private static final int MAX_RANGES = 100;
    private static final int MAX_PAGE = 100_000;
    public static final int MAX_CHARS = 50_000_000;
    /** Tesseract's language names ({@code eng}, {@code chi_sim}, {@code deu_latf}), up to five joined by {@code +}. */
    private static final Pattern LANGUAGES = Pattern.compile("[a-z]{3}(_[a-z]{3,4})?(\\+[a-z]{3}(_[a-z]{3,4})?){0,4}");

    public enum Ocr {
        AUTO,
        OFF,
        FORCE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Pages {@code first} to {@code last}, 1-based, both included. */
    public record PageRange(int first, int last) {}

    /** A caller's options that cannot be taken; the message says why and lists the accepted keys where that helps. */
    public static final class InvalidOptionsException extends IllegalArgumentException {
        public InvalidOptionsException(String message) {
            super(message);
        }
    }

    /** The options as the caller sent them, checked. {@code null} or empty is the defaults. */
    public static JobOptions parse(Map<String, Object> raw) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULTS;
        }
        for (String key : raw.keySet()) {
            if (!KEYS.contains(key)) {
                throw new InvalidOptionsException("unknown option '" + key + "'; accepted: " + String.join(", ", KEYS));
            }
        }
        return new JobOptions(
                pages(raw.get("pages")),
                ocr(raw.get("ocr")),
                ocrLanguage(raw.get("ocrLanguage")),
                bool(raw, "attachments", true),
                maxChars(raw.get("maxChars")),
                model(raw.get("model")),
                bool(raw, "force", false));
    }

    /** What an attachment of the job's document is read with: the OCR choices, not the page selection or the cut. */
    public JobOptions forAttachment() {
        return new JobOptions(List.of(), ocr, ocrLanguage, attachments, null, null, false);
    }

    public boolean readsPage(int page) {
        return pages.isEmpty() || pages.stream().anyMatch(r -> page >= r.first() && page <= r.last());
    }

    /** Back to the JSON a caller would send: only what differs from the defaults. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (!pages.isEmpty()) {
            map.put(
                    "pages",
                    String.join(
                            ",",
                            pages.stream()
                                    .map(r -> r.first() == r.last() ? "" + r.first() : r.first() + "-" + r.last())
                                    .toList()));
        }
        if (ocr != Ocr.AUTO) {
            map.put("ocr", ocr.id());
        }
        if (ocrLanguage != null) {
            map.put("ocrLanguage", ocrLanguage);
        }
        if (!attachments) {
            map.put("attachments", false);
        }
        if (maxChars != null) {
            map.put("maxChars", maxChars);
        }
        if (model != null) {
            map.put("model", model);
        }
        if (force) {
            map.put("force", true);
        }
        return map;
    }

    private static List<PageRange> pages(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Integer single) {
            return List.of(new PageRange(page(single.toString()), page(single.toString())));
        }
        if (!(value instanceof String text) || text.isBlank() || text.length() > 1_000) {
            throw new InvalidOptionsException("option 'pages' must be page ranges such as \"1-3,7\"");
        }
        List<PageRange> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String item = part.strip();
            int dash = item.indexOf('-');
            int first = page(dash < 0 ? item : item.substring(0, dash));
            int last = dash < 0 ? first : page(item.substring(dash + 1));
            if (last < first) {
                throw new InvalidOptionsException("option 'pages': range " + item + " ends before it starts");
            }
            ranges.add(new PageRange(first, last));
            if (ranges.size() > MAX_RANGES) {
                throw new InvalidOptionsException("option 'pages' has more than " + MAX_RANGES + " ranges");
            }
        }
        return List.copyOf(ranges);
    }

    private static int page(String number) {
        String digits = number.strip();
        if (digits.isEmpty() || digits.length() > 6 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidOptionsException(
                    "option 'pages' must be page ranges such as \"1-3,7\" (pages from 1 to " + MAX_PAGE + ")");
        }
        int page = Integer.parseInt(digits);
        if (page < 1 || page > MAX_PAGE) {
            throw new InvalidOptionsException("option 'pages': pages are numbered from 1 to " + MAX_PAGE);
        }
        return page;
    }

    private static Ocr ocr(Object value) {
        if (value == null) {
            return Ocr.AUTO;
        }
        if (value instanceof String text && Set.of("auto", "off", "force").contains(text)) {
            return Ocr.valueOf(text.toUpperCase(Locale.ROOT));
        }
        throw new InvalidOptionsException("option 'ocr' must be one of auto, off, force");
    }

    private static String ocrLanguage(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String text && LANGUAGES.matcher(text).matches()) {
            return text;
        }
        throw new InvalidOptionsException(
                "option 'ocrLanguage' must be Tesseract language codes such as \"eng\" or \"deu+eng\"");
    }

    private static Integer maxChars(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer n && n >= 1 && n <= MAX_CHARS) {
            return n;
        }
        throw new InvalidOptionsException("option 'maxChars' must be a whole number from 1 to " + MAX_CHARS);
    }

    private static String model(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String text && ProjectDefinition.ModelSettings.isModelName(text)) {
            return text;
        }
        throw new InvalidOptionsException("option 'model' must be a model name such as gpt-4o-mini");
    }

    private static boolean bool(Map<String, Object> raw, String key, boolean otherwise) {
        Object value = raw.get(key);
        if (value == null) {
            return otherwise;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new InvalidOptionsException("option '" + key + "' must be true or false");
    }
}
