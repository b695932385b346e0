package io.distill.model.files;

import java.util.List;
import java.util.Locale;

/** The formats Distill reads, with the file extensions that announce them (the first is the usual one). */
public enum DocumentFormat {
    PDF("pdf"),
    DXF("dxf"),
    IFC("ifc"),
    STEP("stp", "step"),
    EMAIL("eml"),
    OUTLOOK("msg"),
    HTML("html", "htm"),
    MARKDOWN("md"),
    TEXT("txt"),
    WORD("docx", "doc", "docm"),
    EXCEL("xlsx", "xls", "xlsm"),
    POWERPOINT("pptx", "ppt", "pptm"),
    OPENDOCUMENT("odt", "ods", "odp"),
    RTF("rtf"),
    EPUB("epub"),
    IMAGE("png", "jpg", "jpeg", "tif", "tiff");

    private final List<String> extensions;

    DocumentFormat(String... extensions) {
        this.extensions = List.of(extensions);
    }

    public List<String> extensions() {
        return extensions;
    }

    /** The name stored in {@code extraction_jobs.format}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every supported extension, for messages that list them. */
    public static String supportedExtensions() {
        StringBuilder all = new StringBuilder();
        for (DocumentFormat format : values()) {
            format.extensions.forEach(
                    e -> all.append(all.isEmpty() ? "." : " .").append(e));
        }
        return all.toString();
    }
}
