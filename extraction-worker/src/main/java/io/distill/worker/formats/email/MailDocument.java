package io.distill.worker.formats.email;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.NestedDocuments;
import io.distill.worker.formats.TextBuilder;
import io.distill.worker.formats.html.HtmlExtractor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;

/**
 * One e-mail as Distill reports it, whatever it was read from (.eml or Outlook .msg): the headers,
 * the text body (the plain part, or the HTML part without markup), and the attachments, each read
 * by the extractor of its format as a nested document within the attachment limits.
 */
final class MailDocument {
    final Map<String, String> headers = new LinkedHashMap<>();
    final List<String> plainBodies = new ArrayList<>();
    final List<String> htmlBodies = new ArrayList<>();
    final List<Attachment> attachments = new ArrayList<>();
    int parts;

    /**
     * An attached file: its bytes to read, or its document when the container already read it (an
     * Outlook item inside a .msg); neither when it was over a limit.
     */
    record Attachment(String filename, String contentType, long size, byte[] bytes, DocumentModel document) {}

    MailDocument header(String name, String value) {
        headers.put(name, value == null ? "" : value.strip());
        return this;
    }

    DocumentModel build(String format, ExtractionLimits limits, NestedDocuments nested) {
        TextBuilder text = new TextBuilder(limits.maxTextChars());
        StringBuilder head = new StringBuilder();
        headers.forEach((name, value) -> {
            if (!value.isEmpty() && !name.equals("Message-ID")) {
                head.append(name).append(": ").append(value).append('\n');
            }
        });
        text.section(1, "headers", head.toString());
        if (!plainBodies.isEmpty()) {
            plainBodies.forEach(body -> text.section(1, "body", body));
        } else {
            htmlBodies.forEach(body -> text.section(
                    1,
                    "body",
                    HtmlExtractor.toDocument(Jsoup.parse(body), limits.maxTextChars())
                            .text()));
        }
        List<Map<String, Object>> listed = new ArrayList<>();
        int read = 0;
        for (Attachment attachment : attachments) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("filename", attachment.filename());
            entry.put("contentType", attachment.contentType());
            entry.put("size", attachment.size());
            if (attachment.document() != null) {
                entry.put("format", attachment.document().format());
                text.nested("Attachment: " + attachment.filename(), attachment.document());
            } else if (!limits.options().attachments()) {
                entry.put("skipped", "not read (option attachments: false)");
            } else if (attachment.bytes() == null) {
                entry.put("skipped", "over the attachment limits (size or nesting depth)");
            } else if (read >= limits.maxAttachments()) {
                entry.put("skipped", "more than " + limits.maxAttachments() + " attachments");
            } else {
                read++;
                NestedDocuments.Result result = nested.read(attachment.filename(), attachment.bytes(), limits);
                entry.put("format", result.format());
                if (result.document() != null) {
                    text.nested("Attachment: " + attachment.filename(), result.document());
                } else {
                    entry.put("skipped", result.skipped());
                }
            }
            listed.add(entry);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("subject", headers.getOrDefault("Subject", ""));
        metadata.put("from", headers.getOrDefault("From", ""));
        metadata.put("to", headers.getOrDefault("To", ""));
        metadata.put("date", headers.getOrDefault("Date", ""));
        metadata.put("messageId", headers.getOrDefault("Message-ID", ""));
        metadata.put("attachments", listed);
        metadata.put("parts", parts);
        return text.build(format, metadata);
    }
}
