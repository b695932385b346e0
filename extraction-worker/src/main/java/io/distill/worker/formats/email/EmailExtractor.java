package io.distill.worker.formats.email;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.InvalidDocumentException;
import io.distill.worker.formats.LimitExceededException;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.TextBuilder;
import io.distill.worker.formats.html.HtmlExtractor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.jsoup.Jsoup;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * E-mail (.eml, RFC 5322 + MIME) with Jakarta Mail: headers, the text body (the plain part, or the
 * HTML part without markup), and the attachments listed by name, type and size.
 */
@ApplicationScoped
public class EmailExtractor implements FormatExtractor {
    private static final int MAX_DEPTH = 10;

    @Override
    public Set<String> formats() {
        return Set.of("email");
    }

    @Override
    public DocumentModel extract(Source source, ExtractionLimits limits) throws IOException {
        try (InputStream in = source.open()) {
            if (source.size() > limits.maxTextFileBytes()) {
                throw new LimitExceededException("message is " + source.size() + " bytes; e-mail is limited to " + limits.maxTextFileBytes());
            }
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
            Parts parts = new Parts(limits.maxMimeParts());
            parts.walk(message, 0);

            TextBuilder text = new TextBuilder(limits.maxTextChars());
            String headers = "Subject: " + nullToEmpty(message.getSubject()) + "\nFrom: " + addresses(message.getFrom())
                    + "\nTo: " + addresses(message.getAllRecipients()) + "\nDate: " + nullToEmpty(message.getHeader("Date", null));
            text.section(1, "headers", headers);
            if (!parts.plain.isEmpty()) {
                parts.plain.forEach(body -> text.section(1, "body", body));
            } else {
                parts.html.forEach(body -> text.section(1, "body", HtmlExtractor.toDocument(Jsoup.parse(body), limits.maxTextChars()).text()));
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("subject", nullToEmpty(message.getSubject()));
            metadata.put("from", addresses(message.getFrom()));
            metadata.put("to", addresses(message.getRecipients(MimeMessage.RecipientType.TO)));
            metadata.put("date", nullToEmpty(message.getHeader("Date", null)));
            metadata.put("messageId", nullToEmpty(message.getMessageID()));
            metadata.put("attachments", parts.attachments);
            metadata.put("parts", parts.count);
            return text.build("email", metadata);
        } catch (MessagingException e) {
            throw new InvalidDocumentException("unreadable e-mail: " + e.getMessage(), e);
        }
    }

    /** Collects text bodies and attachments through nested multiparts, within the part limit. */
    private static final class Parts {
        final List<String> plain = new ArrayList<>();
        final List<String> html = new ArrayList<>();
        final List<Map<String, Object>> attachments = new ArrayList<>();
        final int max;
        int count;

        Parts(int max) {
            this.max = max;
        }

        void walk(Part part, int depth) throws MessagingException, IOException {
            if (++count > max) {
                throw new LimitExceededException("e-mail has more than " + max + " MIME parts");
            }
            if (depth > MAX_DEPTH) {
                throw new LimitExceededException("e-mail nests MIME parts deeper than " + MAX_DEPTH);
            }
            boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null;
            if (attachment) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("filename", nullToEmpty(part.getFileName()));
                a.put("contentType", part.getContentType().split(";")[0].trim().toLowerCase());
                a.put("size", part.getSize());
                attachments.add(a);
            } else if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    walk(multipart.getBodyPart(i), depth + 1);
                }
            } else if (part.isMimeType("text/plain")) {
                plain.add(String.valueOf(part.getContent()));
            } else if (part.isMimeType("text/html")) {
                html.add(String.valueOf(part.getContent()));
            } else if (part.isMimeType("message/rfc822")) {
                walk((Part) part.getContent(), depth + 1);
            }
        }
    }

    private static String addresses(Address[] addresses) {
        return addresses == null ? "" : String.join(", ", Arrays.stream(addresses).map(Address::toString).toList());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
