package io.distill.worker.formats.email;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.FormatRegistry;
import io.distill.worker.formats.InvalidDocumentException;
import io.distill.worker.formats.LimitExceededException;
import io.distill.worker.formats.NestedDocuments;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.text.TextDecoding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.apache.james.mime4j.MimeIOException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * E-mail (.eml, RFC 5322 + MIME) with Apache James mime4j in its permissive mode, as mail servers
 * read real mail: a malformed address or a missing boundary does not lose the message. Header
 * values are decoded here: raw UTF-8 (RFC 6532) or a legacy 8-bit charset, then encoded words
 * ({@code =?UTF-8?B?…?=}). Attachments are read by their own extractors ({@link MailDocument}).
 */
@ApplicationScoped
public class EmailExtractor implements FormatExtractor {
    private static final int MAX_DEPTH = 10;
    private static final Set<String> HEADERS = Set.of("subject", "from", "to", "cc", "date", "message-id");
    private final NestedDocuments nested;

    @Inject
    public EmailExtractor(Instance<FormatRegistry> registry) {
        this(new NestedDocuments(registry::get));
    }

    public EmailExtractor(NestedDocuments nested) {
        this.nested = nested;
    }

    @Override
    public Set<String> formats() {
        return Set.of("email");
    }

    @Override
    public DocumentModel extract(Source source, ExtractionLimits limits) throws IOException {
        if (source.size() > limits.maxTextFileBytes()) {
            throw new LimitExceededException(
                    "message is " + source.size() + " bytes; e-mail is limited to " + limits.maxTextFileBytes());
        }
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.copy(MimeConfig.PERMISSIVE)
                .setMaxHeaderCount(2_000)
                .setMaxHeaderLen(256 * 1024)
                .build());
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        Message message;
        try (InputStream in = source.open()) {
            message = builder.parseMessage(in);
        } catch (MimeIOException e) {
            throw new InvalidDocumentException("unreadable e-mail: " + e.getMessage(), e);
        }
        if (message.getHeader() == null || message.getHeader().getFields().isEmpty()) {
            throw new InvalidDocumentException("unreadable e-mail: no headers");
        }
        MailDocument mail = new MailDocument();
        for (String name : new String[] {"Subject", "From", "To", "Cc", "Date", "Message-ID"}) {
            mail.header(name, "");
        }
        for (Field field : message.getHeader().getFields()) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            if (HEADERS.contains(name)) {
                String canonical = switch (name) {
                    case "message-id" -> "Message-ID";
                    case "cc" -> "Cc";
                    default -> Character.toUpperCase(name.charAt(0)) + name.substring(1);
                };
                if (mail.headers.get(canonical).isEmpty()) {
                    mail.header(canonical, headerValue(field));
                }
            }
        }
        new Parts(mail, limits).walk(message, 0);
        return mail.build("email", limits, nested);
    }

    /**
     * A header's value as text: its raw bytes (UTF-8 when they are, else their legacy charset),
     * unfolded, then its encoded words decoded.
     */
    static String headerValue(Field field) {
        byte[] raw = field.getRaw() == null
                ? field.getBody().getBytes(StandardCharsets.UTF_8)
                : field.getRaw().toByteArray();
        String line = TextDecoding.decode(raw);
        int colon = line.indexOf(':');
        String value = (colon >= 0 ? line.substring(colon + 1) : line)
                .replace("\r\n", "")
                .replace("\n", "")
                .strip();
        try {
            return DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return value;
        }
    }

    /** Walks the MIME tree within the part and depth limits, collecting bodies and attachments. */
    private static final class Parts {
        private final MailDocument mail;
        private final ExtractionLimits limits;

        Parts(MailDocument mail, ExtractionLimits limits) {
            this.mail = mail;
            this.limits = limits;
        }

        void walk(Entity entity, int depth) throws IOException {
            if (++mail.parts > limits.maxMimeParts()) {
                throw new LimitExceededException("e-mail has more than " + limits.maxMimeParts() + " MIME parts");
            }
            if (depth > MAX_DEPTH) {
                throw new LimitExceededException("e-mail nests MIME parts deeper than " + MAX_DEPTH);
            }
            Body body = entity.getBody();
            String filename = filename(entity);
            boolean attachment = filename != null || "attachment".equalsIgnoreCase(entity.getDispositionType());
            if (body instanceof Multipart multipart) {
                for (Entity part : multipart.getBodyParts()) {
                    walk(part, depth + 1);
                }
                // a multipart whose first boundary is missing has all its content in the preamble
                if (multipart.getBodyParts().isEmpty() && multipart.getPreamble() != null) {
                    mail.plainBodies.add(multipart.getPreamble());
                }
            } else if (body instanceof Message inner && !attachment) {
                walk(inner, depth + 1);
            } else if (body instanceof SingleBody single) {
                String type = entity.getMimeType() == null
                        ? "text/plain"
                        : entity.getMimeType().toLowerCase(Locale.ROOT);
                if (attachment) {
                    byte[] bytes = readAttachment(single);
                    mail.attachments.add(new MailDocument.Attachment(
                            filename == null ? "attachment" : filename,
                            type,
                            bytes == null ? -1 : bytes.length,
                            bytes,
                            null));
                } else if (type.equals("text/plain") || type.equals("text/html")) {
                    String text = TextDecoding.decode(read(single, limits.maxTextFileBytes()), entity.getCharset());
                    (type.equals("text/plain") ? mail.plainBodies : mail.htmlBodies).add(text);
                }
            } else if (body instanceof Message inner) {
                // an attached message (message/rfc822 with a file name): read as its own document
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                new org.apache.james.mime4j.message.DefaultMessageWriter().writeMessage(inner, out);
                byte[] bytes = out.size() > limits.maxAttachmentBytes() ? null : out.toByteArray();
                String name = filename == null
                        ? "message.eml"
                        : filename.toLowerCase(Locale.ROOT).endsWith(".eml") ? filename : filename + ".eml";
                mail.attachments.add(new MailDocument.Attachment(name, "message/rfc822", out.size(), bytes, null));
            }
        }

        private byte[] readAttachment(SingleBody body) throws IOException {
            try (InputStream in = body.getInputStream()) {
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxAttachmentBytes() + 1));
                return bytes.length > limits.maxAttachmentBytes() ? null : bytes;
            }
        }

        private static byte[] read(SingleBody body, long limit) throws IOException {
            try (InputStream in = body.getInputStream()) {
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
                if (bytes.length > limit) {
                    throw new LimitExceededException("an e-mail body is larger than " + limit + " bytes");
                }
                return bytes;
            }
        }

        private static String filename(Entity entity) {
            String name = entity.getFilename();
            if (name == null || name.isBlank()) {
                return null;
            }
            try {
                return DecoderUtil.decodeEncodedWords(name, DecodeMonitor.SILENT, StandardCharsets.UTF_8)
                        .strip();
            } catch (IllegalArgumentException malformed) {
                return name.strip();
            }
        }
    }
}
