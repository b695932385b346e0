package io.distill.worker.formats.office;

import io.distill.worker.formats.LimitExceededException;
import io.distill.worker.formats.TextBuilder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Tika's XHTML to Distill's sections: a page, slide or sheet ({@code <div class="page">},
 * {@code <div class="slide-content">}) is a section of its own, and so is the text under each
 * top-level heading; block elements end lines, table cells are separated by tabs. The head
 * (title, meta) is metadata, not text. Counts characters as they come, against the text limit.
 */
final class SectionsHandler extends DefaultHandler {
    private static final Set<String> BLOCKS = Set.of(
            "p",
            "div",
            "li",
            "tr",
            "br",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "table",
            "ul",
            "ol",
            "blockquote",
            "pre",
            "section",
            "article");
    private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3");
    private final TextBuilder text;
    private final int maxChars;
    private final StringBuilder current = new StringBuilder();
    /** For each open div: whether it is a page/slide/sheet. */
    private final Deque<Boolean> divs = new ArrayDeque<>();

    private int pages;
    private int inPage;
    private int inHead;
    private String kind = "body";

    SectionsHandler(TextBuilder text, int maxChars) {
        this.text = text;
        this.maxChars = maxChars;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) {
        String name = localName.isEmpty() ? qName : localName;
        if (name.equals("head")) {
            inHead++;
        } else if (name.equals("div")) {
            String type = attributes.getValue("class");
            boolean page = "page".equals(type) || "slide-content".equals(type);
            divs.push(page);
            if (page) {
                flush();
                pages++;
                inPage++;
                kind = type.equals("page") ? "page" : "slide";
            }
        } else if (HEADINGS.contains(name) && inPage == 0) {
            flush();
            kind = "section";
        }
        if (BLOCKS.contains(name)) {
            newLine();
        } else if (name.equals("td") || name.equals("th")) {
            current.append('\t');
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        String name = localName.isEmpty() ? qName : localName;
        if (name.equals("head")) {
            inHead--;
        } else if (name.equals("div") && !divs.isEmpty() && divs.pop()) {
            flush();
            inPage--;
            kind = "body";
        }
        if (BLOCKS.contains(name)) {
            newLine();
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
        if (inHead > 0) {
            return;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new LimitExceededException("extraction interrupted (time limit)");
        }
        current.append(ch, start, length);
        if (text.length() + current.length() > maxChars) {
            throw new LimitExceededException("document text exceeds " + maxChars + " characters");
        }
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) {
        characters(ch, start, length);
    }

    void finish() {
        flush();
    }

    private void newLine() {
        if (!current.isEmpty() && current.charAt(current.length() - 1) != '\n') {
            current.append('\n');
        }
    }

    private void flush() {
        text.section(inPage > 0 ? pages : 1, kind, current.toString());
        current.setLength(0);
    }
}
