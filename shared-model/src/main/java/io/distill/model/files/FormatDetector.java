package io.distill.model.files;

import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decides a file's format from its extension and checks it against the content (magic bytes or
 * header), so a renamed file is refused before any job exists. Reads only the head of the file.
 * The worker's extractors look at the content again (a .doc may be OOXML, a .xls HTML).
 */
public final class FormatDetector {
    /** How much of the file's start the checks look at. */
    public static final int HEAD_BYTES = 8192;
    /** A header field that mail has and other text rarely starts a line with (obsolete syntax allows space before the colon). */
    private static final Pattern EMAIL_HEADER = Pattern.compile(
            "(?im)^(from|to|cc|subject|date|received|mime-version|message-id|return-path|reply-to|sender|delivered-to|content-type)[ \\t]*:");

    private static final Pattern DXF_START = Pattern.compile("\\A\\s*(0\\s*\\r?\\n\\s*SECTION|999\\s*\\r?\\n)");
    private static final Pattern IFC_SCHEMA = Pattern.compile("(?i)FILE_SCHEMA\\s*\\(\\s*\\(\\s*'IFC");
    private static final Pattern HTML_TAG = Pattern.compile("(?i)<(!doctype html|html|body|head|p|div)[\\s>]");
    /** Byte-order marks that may open a text file, as ISO-8859-1 characters. */
    private static final String UTF8_BOM = "\u00ef\u00bb\u00bf";

    private static final String UTF16_BE = "\u00fe\u00ff";
    private static final String UTF16_LE = "\u00ff\u00fe";
    private static final String OLE2 = "\u00d0\u00cf\u0011\u00e0\u00a1\u00b1\u001a\u00e1";
    private static final String ZIP = "PK\u0003\u0004";
    public static final String BINARY_DXF_SENTINEL = "AutoCAD Binary DXF\r\n\u001a\u0000";

    private FormatDetector() {}

    public static DocumentFormat detect(String filename, byte[] head) {
        String extension = extension(filename);
        if (extension.equals("dwg")) {
            throw new UnsupportedFileException(
                    "DWG is a closed binary format and is not supported; export the drawing as DXF or PDF");
        }
        DocumentFormat format = byExtension(extension);
        if (head.length == 0) {
            throw new UnsupportedFileException("the file is empty");
        }
        String raw = new String(head, StandardCharsets.ISO_8859_1);
        String text = textOf(head, raw);
        boolean binary = text.indexOf('\0') >= 0;
        switch (format) {
            case PDF ->
                require(
                        text.substring(0, Math.min(1024, text.length())).contains("%PDF-"),
                        "the content is not a PDF (no %PDF- header)");
            case DXF ->
                require(
                        text.startsWith(BINARY_DXF_SENTINEL)
                                || !binary && DXF_START.matcher(text).find(),
                        "the content is not a DXF drawing (no SECTION group at the start)");
            case IFC ->
                require(
                        text.stripLeading().startsWith("ISO-10303-21;")
                                && IFC_SCHEMA.matcher(text).find(),
                        "the content is not an IFC model (ISO-10303-21 with an IFC schema)");
            case STEP ->
                require(
                        text.stripLeading().startsWith("ISO-10303-21;"),
                        "the content is not a STEP file (no ISO-10303-21 header)");
            case EMAIL ->
                require(
                        !binary && EMAIL_HEADER.matcher(text).find(),
                        "the content is not an e-mail message (no mail headers)");
            case OUTLOOK -> require(raw.startsWith(OLE2), "the content is not an Outlook message (no OLE2 header)");
            case HTML -> require(!binary && HTML_TAG.matcher(text).find(), "the content is not HTML");
            case TEXT, MARKDOWN -> require(!binary, "the content is binary, not text");
            case WORD, EXCEL, POWERPOINT ->
                require(
                        raw.startsWith(ZIP) || raw.startsWith(OLE2),
                        "the content is not a Microsoft Office document (neither OOXML nor OLE2)");
            case OPENDOCUMENT ->
                require(
                        raw.startsWith(ZIP)
                                && (raw.contains("application/vnd.oasis.opendocument.")
                                        || raw.contains("META-INF/manifest.xml")
                                        || raw.contains("content.xml")),
                        "the content is not an OpenDocument file");
            // the "mimetype" entry should come first, but not every writer puts it there
            case EPUB ->
                require(
                        raw.startsWith(ZIP) && (raw.contains("application/epub+zip") || raw.contains("META-INF/")),
                        "the content is not an EPUB book");
            case RTF -> require(text.startsWith("{\\rtf"), "the content is not RTF (no {\\rtf header)");
            case IMAGE ->
                require(
                        raw.startsWith("\u0089PNG\r\n\u001a\n")
                                || raw.startsWith("\u00ff\u00d8\u00ff")
                                || raw.startsWith("II*\0")
                                || raw.startsWith("MM\0*"),
                        "the content is not a PNG, JPEG or TIFF image");
        }
        return format;
    }

    /** The head as characters: UTF-16 when a byte-order mark says so, else byte for byte, without a UTF-8 mark. */
    private static String textOf(byte[] head, String raw) {
        if (raw.startsWith(UTF16_BE) || raw.startsWith(UTF16_LE)) {
            // a head cut in the middle of a character decodes to one replacement character at the end: harmless here
            return new String(
                    head,
                    2,
                    head.length - 2,
                    raw.startsWith(UTF16_BE) ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE);
        }
        return raw.startsWith(UTF8_BOM) ? raw.substring(UTF8_BOM.length()) : raw;
    }

    private static DocumentFormat byExtension(String extension) {
        for (DocumentFormat format : DocumentFormat.values()) {
            if (format.extensions().contains(extension)) {
                return format;
            }
        }
        throw new UnsupportedFileException(
                extension.isEmpty()
                        ? "the file name has no extension"
                        : "." + extension + " files are not supported; supported: "
                                + DocumentFormat.supportedExtensions());
    }

    /** The file name's extension, lower case ("" when it has none). */
    public static String extension(String filename) {
        String name = filename == null ? "" : filename.strip();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static void require(boolean ok, String reason) {
        if (!ok) {
            throw new UnsupportedFileException(reason);
        }
    }
}
