package io.distill.worker.formats.office;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.InvalidDocumentException;
import io.distill.worker.formats.LimitExceededException;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.TextBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.Office;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.epub.EpubParser;
import org.apache.tika.parser.microsoft.OfficeParser;
import org.apache.tika.parser.microsoft.ooxml.OOXMLParser;
import org.apache.tika.parser.microsoft.rtf.RTFParser;
import org.apache.tika.parser.odf.OpenDocumentParser;
import org.xml.sax.SAXException;

/**
 * Word, Excel and PowerPoint (OOXML and the legacy binary formats), OpenDocument, RTF and EPUB with
 * Apache Tika's parsers (Apache POI underneath): Tika decides the concrete type from the content,
 * and {@link SectionsHandler} turns its XHTML into sections (pages, slides, sheets, headings).
 * Embedded objects are not parsed; zip and XML bombs stop at POI's and Tika's guards.
 */
@ApplicationScoped
public class OfficeExtractor implements FormatExtractor {
    static {
        // POI's default per-entry limit is 4 GB; no office file Distill reads needs more than this
        ZipSecureFile.setMaxEntrySize(256L << 20);
    }

    private final Parser parser = new AutoDetectParser(
            new OOXMLParser(), new OfficeParser(), new OpenDocumentParser(), new RTFParser(), new EpubParser());

    @Override
    public Set<String> formats() {
        return Set.of("word", "excel", "powerpoint", "opendocument", "rtf", "epub");
    }

    @Override
    public DocumentModel extract(Source source, ExtractionLimits limits) throws IOException {
        Metadata metadata = new Metadata();
        TextBuilder text = new TextBuilder(limits.maxTextChars());
        try (TikaInputStream in = source.file() != null
                ? TikaInputStream.get(source.file(), metadata)
                : TikaInputStream.get(source.open())) {
            parse(parser, in, new SectionsHandler(text, limits.maxTextChars()), metadata);
        }
        String type = metadata.get(Metadata.CONTENT_TYPE);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("contentType", type == null ? "" : type);
        fields.put("title", nullToEmpty(metadata.get(TikaCoreProperties.TITLE)));
        fields.put("author", nullToEmpty(metadata.get(TikaCoreProperties.CREATOR)));
        putCount(fields, "pages", metadata.get(Office.PAGE_COUNT));
        putCount(fields, "slides", metadata.get(Office.SLIDE_COUNT));
        return text.build(format(type), fields);
    }

    /** Plain text of an RTF document (an Outlook message's body). */
    public static String rtfText(String rtf, ExtractionLimits limits) throws IOException {
        TextBuilder text = new TextBuilder(limits.maxTextChars());
        try (TikaInputStream in =
                TikaInputStream.get(new ByteArrayInputStream(rtf.getBytes(StandardCharsets.ISO_8859_1)))) {
            parse(new RTFParser(), in, new SectionsHandler(text, limits.maxTextChars()), new Metadata());
        }
        return text.build("rtf", Map.of()).text();
    }

    private static void parse(Parser parser, TikaInputStream in, SectionsHandler handler, Metadata metadata)
            throws IOException {
        try {
            // no Parser in the context: embedded objects (pictures, OLE packages) are skipped, not parsed
            parser.parse(in, handler, metadata, new ParseContext());
            handler.finish();
        } catch (EncryptedDocumentException e) {
            throw new InvalidDocumentException("the document is password-protected");
        } catch (TikaException | SAXException e) {
            LimitExceededException limit = limitIn(e);
            if (limit != null) {
                throw limit;
            }
            throw new InvalidDocumentException("unreadable document: " + e.getMessage(), e);
        }
    }

    private static LimitExceededException limitIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LimitExceededException limit) {
                return limit;
            }
        }
        return null;
    }

    /** The family the content really is, by Tika's content type (a .doc may hold OOXML, an .odt be a template). */
    private static String format(String contentType) {
        String type = contentType == null ? "" : contentType;
        if (type.contains("wordprocessingml") || type.contains("msword") || type.contains("ms-word")) {
            return "word";
        }
        if (type.contains("spreadsheetml") || type.contains("ms-excel")) {
            return "excel";
        }
        if (type.contains("presentationml") || type.contains("ms-powerpoint")) {
            return "powerpoint";
        }
        if (type.contains("opendocument")) {
            return "opendocument";
        }
        return type.contains("rtf") ? "rtf" : type.contains("epub") ? "epub" : "office";
    }

    private static void putCount(Map<String, Object> fields, String name, String value) {
        if (value != null) {
            try {
                fields.put(name, Integer.parseInt(value.strip()));
            } catch (NumberFormatException ignored) {
                // a count the file gets wrong is left out, not guessed
            }
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
