package io.distill.model.files;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides a file's format from its extension and checks it against the content (magic bytes or
 * header), so a renamed file is refused before any job exists. Reads only the head of the file.
 */
public final class FormatDetector {
    /** How much of the file's start the checks look at. */
    public static final int HEAD_BYTES = 8192;
    private static final Pattern EMAIL_HEADER = Pattern.compile("(?im)^(from|to|subject|date|received|mime-version|message-id|return-path):");
    private static final Pattern DXF_START = Pattern.compile("\\A\\s*(0\\s*\\r?\\n\\s*SECTION|999\\s*\\r?\\n)");

    private FormatDetector() {
    }

    public static DocumentFormat detect(String filename, byte[] head) {
        String extension = extension(filename);
        if (extension.equals("dwg")) {
            throw new UnsupportedFileException("DWG is a closed binary format and is not supported; export the drawing as DXF (ASCII) or PDF");
        }
        DocumentFormat format = byExtension(extension);
        if (head.length == 0) {
            throw new UnsupportedFileException("the file is empty");
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        boolean binary = text.indexOf('\0') >= 0;
        switch (format) {
            case PDF -> require(text.startsWith("%PDF-") || text.substring(0, Math.min(1024, text.length())).contains("%PDF-"),
                    "the content is not a PDF (no %PDF- header)");
            case DXF -> {
                require(!text.startsWith("AutoCAD Binary DXF"), "binary DXF is not supported; save the drawing as ASCII DXF");
                require(!binary && DXF_START.matcher(text).find(), "the content is not an ASCII DXF (no SECTION group at the start)");
            }
            case IFC -> require(text.stripLeading().startsWith("ISO-10303-21;") && text.toUpperCase(Locale.ROOT).contains("FILE_SCHEMA")
                            && text.toUpperCase(Locale.ROOT).matches("(?s).*FILE_SCHEMA\\s*\\(\\s*\\(\\s*'IFC.*"),
                    "the content is not an IFC model (ISO-10303-21 with an IFC schema)");
            case STEP -> require(text.stripLeading().startsWith("ISO-10303-21;"), "the content is not a STEP file (no ISO-10303-21 header)");
            case EMAIL -> require(!binary && EMAIL_HEADER.matcher(text).find(), "the content is not an e-mail message (no mail headers)");
            case HTML -> require(!binary && text.toLowerCase(Locale.ROOT).matches("(?s).*<(!doctype html|html|body|head|p|div)[\\s>].*"),
                    "the content is not HTML");
            case TEXT, MARKDOWN -> require(!binary, "the content is binary, not text");
        }
        return format;
    }

    private static DocumentFormat byExtension(String extension) {
        for (DocumentFormat format : DocumentFormat.values()) {
            if (format.extensions().contains(extension)) {
                return format;
            }
        }
        throw new UnsupportedFileException(extension.isEmpty() ? "the file name has no extension"
                : "." + extension + " files are not supported; supported: .pdf .dxf .ifc .stp .step .eml .html .htm .md .txt");
    }

    private static String extension(String filename) {
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
