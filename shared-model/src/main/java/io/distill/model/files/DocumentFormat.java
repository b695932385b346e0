package io.distill.model.files;

import java.util.List;
import java.util.Locale;

/** The formats Distill reads, with the file extensions that announce them. */
public enum DocumentFormat {
    PDF("pdf"), DXF("dxf"), IFC("ifc"), STEP("stp", "step"), EMAIL("eml"), HTML("html", "htm"), MARKDOWN("md"), TEXT("txt");

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
}
