package io.distill.worker.formats.email;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.FormatRegistry;
import io.distill.worker.formats.InvalidDocumentException;
import io.distill.worker.formats.NestedDocuments;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.office.OfficeExtractor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Calendar;
import java.util.Set;
import org.apache.poi.hsmf.MAPIMessage;
import org.apache.poi.hsmf.datatypes.AttachmentChunks;
import org.apache.poi.hsmf.datatypes.StringChunk;
import org.apache.poi.hsmf.exceptions.ChunkNotFoundException;

/**
 * Outlook messages (.msg, MAPI properties in an OLE2 file) with Apache POI's HSMF: the same
 * e-mail document as .eml, with the body from the plain, HTML or RTF property, whichever exists,
 * and attachments (embedded messages too) read by their own extractors.
 */
@ApplicationScoped
public class OutlookExtractor implements FormatExtractor {
    private final NestedDocuments nested;

    @Inject
    public OutlookExtractor(Instance<FormatRegistry> registry) {
        this(new NestedDocuments(registry::get));
    }

    public OutlookExtractor(NestedDocuments nested) {
        this.nested = nested;
    }

    @Override
    public Set<String> formats() {
        return Set.of("outlook");
    }

    @Override
    public DocumentModel extract(Source source, ExtractionLimits limits) throws IOException {
        MAPIMessage message;
        try (InputStream in = source.open()) {
            message = new MAPIMessage(in);
        } catch (IOException | RuntimeException e) {
            throw new InvalidDocumentException("unreadable Outlook message: " + e.getMessage(), e);
        }
        return read(message, limits, 0);
    }

    private DocumentModel read(MAPIMessage message, ExtractionLimits limits, int depth) throws IOException {
        message.setReturnNullOnMissingChunk(true);
        // messages saved without Unicode store their strings in the sender's code page
        message.guess7BitEncoding();
        try {
            MailDocument mail = new MailDocument()
                    .header("Subject", message.getSubject())
                    .header("From", from(message))
                    .header("To", message.getDisplayTo())
                    .header("Cc", message.getDisplayCC())
                    .header("Date", date(message.getMessageDate()))
                    .header("Message-ID", value(message.getMainChunks().getMessageId()));
            String plain = message.getTextBody();
            if (plain != null && !plain.isBlank()) {
                mail.plainBodies.add(plain);
            } else if (message.getHtmlBody() != null) {
                mail.htmlBodies.add(message.getHtmlBody());
            } else if (message.getRtfBody() != null) {
                mail.plainBodies.add(OfficeExtractor.rtfText(message.getRtfBody(), limits));
            }
            for (AttachmentChunks attachment : message.getAttachmentFiles()) {
                mail.parts++;
                mail.attachments.add(attachment(attachment, limits, depth));
            }
            return mail.build("outlook", limits, nested);
        } catch (ChunkNotFoundException e) {
            throw new InvalidDocumentException("unreadable Outlook message: " + e.getMessage(), e);
        }
    }

    private MailDocument.Attachment attachment(AttachmentChunks chunks, ExtractionLimits limits, int depth)
            throws IOException {
        String name =
                firstOf(chunks.getAttachLongFileName(), chunks.getAttachFileName(), chunks.getAttachDisplayName());
        if (chunks.isEmbeddedMessage()) {
            // an attached Outlook item lives inside this file's OLE2 tree: read it in place
            String label = name.isEmpty() ? "message.msg" : name;
            if (depth + 1 >= limits.maxNestingDepth()) {
                return new MailDocument.Attachment(label, "application/vnd.ms-outlook", -1, null, null);
            }
            return new MailDocument.Attachment(
                    label,
                    "application/vnd.ms-outlook",
                    -1,
                    null,
                    read(chunks.getEmbeddedMessage(), limits, depth + 1));
        }
        byte[] data = chunks.getEmbeddedAttachmentObject();
        return sized(
                name.isEmpty() ? "attachment" : name,
                firstOf(chunks.getAttachMimeTag()),
                data == null ? new byte[0] : data,
                limits);
    }

    private static MailDocument.Attachment sized(String name, String type, byte[] data, ExtractionLimits limits) {
        return new MailDocument.Attachment(
                name, type, data.length, data.length > limits.maxAttachmentBytes() ? null : data, null);
    }

    private static String from(MAPIMessage message) throws ChunkNotFoundException {
        String name = message.getDisplayFrom();
        String email = value(message.getMainChunks().getEmailFromChunk());
        if (email.isBlank() || email.equals(name)) {
            return name == null ? "" : name;
        }
        return (name == null || name.isBlank() ? "" : name + " ") + "<" + email + ">";
    }

    private static String value(StringChunk chunk) {
        return chunk == null || chunk.getValue() == null ? "" : chunk.getValue();
    }

    private static String date(Calendar date) {
        return date == null
                ? ""
                : DateTimeFormatter.RFC_1123_DATE_TIME.format(date.toInstant().atOffset(ZoneOffset.UTC));
    }

    private static String firstOf(StringChunk... chunks) {
        for (StringChunk chunk : chunks) {
            if (chunk != null && chunk.getValue() != null && !chunk.getValue().isBlank()) {
                return chunk.getValue().strip();
            }
        }
        return "";
    }
}
