package io.distill.worker.llm;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.distill.worker.formats.DocumentModel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What rules can find in a text without a model: a title, a summary, words, e-mail addresses,
 * links, dates, amounts, company names and a sentiment. Every pattern runs on RE2/J (linear time
 * whatever the text: no backtracking), and every scan is bounded in what it keeps.
 */
final class OfflineFindings {
    static final int MAX_MATCHES = 50;
    static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+");
    static final Pattern URL = Pattern.compile("https?://[^\\s<>\"')]+");
    static final Pattern ISO_DATE = Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}\\b");
    static final Pattern AMOUNT = Pattern.compile(
            "(?:(?:EUR|USD|GBP|CHF|€|\\$|£)\\s?\\d[\\d,.]*|\\d[\\d,.]*\\s?(?:EUR|USD|GBP|CHF|€|\\$|£))");
    private static final Pattern ISO_DATE_TIME =
            Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern COMPANY = Pattern.compile(
            "\\b([A-Z][A-Za-z0-9&-]*(?: [A-Z][A-Za-z0-9&-]*){0,3}) (Inc|Corp|Corporation|AG|SE|plc|PLC|Ltd|GmbH|SA|NV|LLC|Group)\\b");
    private static final Set<String> POSITIVE = Set.of(
            "beat",
            "beats",
            "up",
            "rise",
            "rises",
            "rose",
            "gain",
            "gains",
            "growth",
            "grew",
            "improved",
            "improves",
            "record",
            "strong",
            "upgrade",
            "upgraded",
            "ahead",
            "exceeded",
            "raised",
            "widened",
            "buyback");
    private static final Set<String> NEGATIVE = Set.of(
            "miss",
            "missed",
            "misses",
            "down",
            "fall",
            "falls",
            "fell",
            "loss",
            "losses",
            "decline",
            "declined",
            "weak",
            "downgrade",
            "downgraded",
            "cut",
            "cuts",
            "warning",
            "below",
            "lawsuit",
            "fraud",
            "recall");

    private OfflineFindings() {}

    /** The first non-blank line, at most 120 characters. */
    static String title(String text) {
        return text.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .findFirst()
                .map(l -> l.length() > 120 ? l.substring(0, 120) : l)
                .orElse("");
    }

    /** The first two sentences of the text with its white space folded, at most 300 characters. */
    static String summary(String text) {
        StringBuilder flat = new StringBuilder(Math.min(text.length(), 4_000));
        int sentences = 0;
        boolean space = false;
        for (int i = 0; i < text.length() && flat.length() < 300 && sentences < 2; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                space = flat.length() > 0;
                continue;
            }
            if (space) {
                flat.append(' ');
                space = false;
            }
            flat.append(c);
            boolean endsSentence = (c == '.' || c == '!' || c == '?')
                    && (i + 1 == text.length() || Character.isWhitespace(text.charAt(i + 1)));
            sentences += endsSentence ? 1 : 0;
        }
        return flat.length() > 300 ? flat.substring(0, 300) : flat.toString();
    }

    /** Up to {@code limit} sentences, in order, each stripped (key points of a report). */
    static List<String> sentences(String text, int limit) {
        List<String> found = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length() && found.size() < limit; i++) {
            char c = text.charAt(i);
            boolean end = (c == '.' || c == '!' || c == '?')
                    && (i + 1 == text.length() || Character.isWhitespace(text.charAt(i + 1)));
            if (end || c == '\n' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                String sentence = text.substring(start, i + 1).strip().replace('\n', ' ');
                if (sentence.length() > 20) {
                    found.add(sentence.length() > 500 ? sentence.substring(0, 500) : sentence);
                }
                start = i + 1;
            }
        }
        return found;
    }

    static int wordCount(String text) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean letter = !Character.isWhitespace(text.charAt(i));
            words += letter && !inWord ? 1 : 0;
            inWord = letter;
        }
        return words;
    }

    /** Every distinct match, in order, at most {@link #MAX_MATCHES}, each with where it was found. */
    static List<Evidence> matches(DocumentModel document, Pattern pattern) {
        Set<String> values = new LinkedHashSet<>();
        List<Evidence> found = new ArrayList<>();
        Matcher m = pattern.matcher(document.text());
        while (values.size() < MAX_MATCHES && m.find()) {
            String value = m.group().strip();
            if (!value.isEmpty() && values.add(value)) {
                int start = m.start() + m.group().indexOf(value);
                found.add(Evidence.of(document, start, start + value.length()));
            }
        }
        return found;
    }

    static String firstDateTime(String text) {
        Matcher m = ISO_DATE_TIME.matcher(text);
        return m.find() ? m.group() : null;
    }

    /** The first company-like name (capitalised words before a legal form), and the name without it. */
    static String[] company(String text) {
        Matcher m = COMPANY.matcher(text);
        return m.find() ? new String[] {m.group(), m.group(1)} : null;
    }

    /** positive, negative, mixed or neutral, by counting signal words. */
    static String sentiment(String text) {
        int positive = 0;
        int negative = 0;
        for (String word : words(text, 5_000)) {
            positive += POSITIVE.contains(word) ? 1 : 0;
            negative += NEGATIVE.contains(word) ? 1 : 0;
        }
        if (positive > 0 && negative > 0 && Math.abs(positive - negative) <= 1) {
            return "mixed";
        }
        return positive > negative ? "positive" : negative > positive ? "negative" : "neutral";
    }

    /** The first {@code limit} words, lower case, letters and digits only. */
    static List<String> words(String text, int limit) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i <= text.length() && words.size() < limit; i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (Character.isLetterOrDigit(c)) {
                word.append(Character.toLowerCase(c));
            } else if (word.length() > 0) {
                words.add(word.toString().toLowerCase(Locale.ROOT));
                word.setLength(0);
            }
        }
        return words;
    }
}
