package io.distill.worker.formats.dxf;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.InvalidDocumentException;
import io.distill.worker.formats.LimitExceededException;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.TextBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * DXF drawings (ASCII and binary, R12 to R2018), streamed group by group: units and version from
 * the header, layers, blocks, the text of TEXT/MTEXT/ATTRIB/DIMENSION entities, and the title block
 * (attributes such as drawing number, title, revision, scale). No maintained Java DXF library is on
 * Maven Central (kabeja is abandoned), so {@link DxfGroups} reads the group-code format itself.
 */
@ApplicationScoped
public class DxfExtractor implements FormatExtractor {
    /** $INSUNITS codes (AutoCAD DXF reference). */
    private static final Map<Integer, String> UNITS = Map.ofEntries(
            Map.entry(0, "unitless"),
            Map.entry(1, "inches"),
            Map.entry(2, "feet"),
            Map.entry(3, "miles"),
            Map.entry(4, "millimeters"),
            Map.entry(5, "centimeters"),
            Map.entry(6, "meters"),
            Map.entry(7, "kilometers"),
            Map.entry(8, "microinches"),
            Map.entry(9, "mils"),
            Map.entry(10, "yards"),
            Map.entry(14, "decimeters"));
    /** Attribute tags of title blocks, as drafters name them, to the fields Distill reports. */
    private static final Map<String, String> TITLE_FIELDS = Map.ofEntries(
            Map.entry("DRAWING_NO", "drawingNumber"),
            Map.entry("DRAWING_NUMBER", "drawingNumber"),
            Map.entry("DWG_NO", "drawingNumber"),
            Map.entry("DWGNO", "drawingNumber"),
            Map.entry("DRAWINGNO", "drawingNumber"),
            Map.entry("DOC_NO", "drawingNumber"),
            Map.entry("TITLE", "title"),
            Map.entry("DRAWING_TITLE", "title"),
            Map.entry("REV", "revision"),
            Map.entry("REVISION", "revision"),
            Map.entry("SCALE", "scale"),
            Map.entry("DATE", "date"),
            Map.entry("DRAWN", "author"),
            Map.entry("DRAWN_BY", "author"),
            Map.entry("AUTHOR", "author"),
            Map.entry("MATERIAL", "material"),
            Map.entry("SHEET", "sheet"),
            Map.entry("COMPANY", "organization"),
            Map.entry("ORGANIZATION", "organization"),
            Map.entry("CHECKED", "checkedBy"),
            Map.entry("PROJECT", "project"));

    @Override
    public Set<String> formats() {
        return Set.of("dxf");
    }

    @Override
    public DocumentModel extract(Source source, ExtractionLimits limits) throws IOException {
        Drawing drawing = new Drawing();
        try (DxfGroups groups = DxfGroups.open(source.open())) {
            DxfGroups.Group group;
            while ((group = groups.next()) != null) {
                drawing.accept(group.code(), group.value());
                if (drawing.textChars > limits.maxTextChars()) {
                    throw new LimitExceededException("drawing text exceeds " + limits.maxTextChars() + " characters");
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new LimitExceededException("extraction interrupted (time limit)");
                }
            }
        }
        drawing.endEntity();
        return drawing.toDocument(limits.maxTextChars());
    }

    /** The state of one pass over the groups. */
    private static final class Drawing {
        String section = "";
        String headerVariable;
        String entity;
        String entityLayer = "0";
        Charset charset;
        final Map<Integer, StringBuilder> groups = new TreeMap<>();
        final Map<String, Object> header = new LinkedHashMap<>();
        final Set<String> layers = new LinkedHashSet<>();
        final Set<String> blocks = new LinkedHashSet<>();
        final Map<String, Integer> entityCounts = new TreeMap<>();
        final Map<String, String> titleBlock = new LinkedHashMap<>();
        final Map<String, String> attributes = new LinkedHashMap<>();
        final List<String> texts = new ArrayList<>();
        final List<String> dimensions = new ArrayList<>();
        long textChars;
        boolean expectSectionName;

        void accept(int code, String value) {
            if (code == 0) {
                endEntity();
                switch (value.strip()) {
                    case "SECTION" -> expectSectionName = true;
                    case "ENDSEC" -> section = "";
                    default -> startEntity(value.strip());
                }
                return;
            }
            if (expectSectionName && code == 2) {
                section = value.strip();
                expectSectionName = false;
                return;
            }
            if (section.equals("HEADER")) {
                if (code == 9) {
                    headerVariable = value.strip();
                } else if (headerVariable != null) {
                    header.putIfAbsent(headerVariable, value.strip());
                }
                return;
            }
            // text values keep their spaces: MTEXT continues a word across its 250-character chunks
            if (entity != null && (code == 1 || code == 2 || code == 3 || code == 42)) {
                groups.computeIfAbsent(code, k -> new StringBuilder()).append(code == 42 ? value.strip() : value);
                textChars += value.length();
            } else if (entity != null && code == 8) {
                entityLayer = decode(value.strip());
            }
        }

        void startEntity(String type) {
            entity = type;
            entityLayer = "0";
            groups.clear();
            if (section.equals("ENTITIES") || section.equals("BLOCKS")) {
                entityCounts.merge(type, 1, Integer::sum);
            }
        }

        void endEntity() {
            if (entity == null) {
                return;
            }
            String text1 = decode(group(1));
            switch (entity) {
                case "LAYER" -> {
                    if (section.equals("TABLES") && !group(2).isBlank()) {
                        layers.add(decode(group(2).strip()));
                    }
                }
                case "BLOCK" -> {
                    if (!group(2).isBlank()) {
                        blocks.add(decode(group(2).strip()));
                    }
                }
                case "TEXT" -> addText(DxfText.text(text1));
                case "MTEXT" -> addText(DxfText.mtext(decode(group(3) + group(1))));
                case "ATTRIB" -> {
                    String tag = decode(group(2))
                            .strip()
                            .toUpperCase(Locale.ROOT)
                            .replace(' ', '_')
                            .replace('-', '_');
                    String value = DxfText.text(text1).strip();
                    if (!tag.isEmpty() && !value.isEmpty()) {
                        attributes.putIfAbsent(tag, value);
                        String field = TITLE_FIELDS.get(tag);
                        if (field != null) {
                            titleBlock.putIfAbsent(field, value);
                        }
                        addText(tag + ": " + value);
                    }
                }
                case "DIMENSION" -> {
                    String measured = group(42);
                    String shown = DxfText.mtext(
                            text1.isEmpty() || text1.equals("<>") ? measured : text1.replace("<>", measured));
                    if (!shown.isBlank()) {
                        dimensions.add(shown.strip());
                    }
                }
                default -> {}
            }
            entity = null;
        }

        private String decode(String raw) {
            if (charset == null) {
                // the header comes first; a file without one is taken as its version's default
                charset = DxfText.charset(string(header.get("$ACADVER")), string(header.get("$DWGCODEPAGE")));
            }
            return DxfText.decode(raw, charset);
        }

        private void addText(String text) {
            if (!text.isBlank()) {
                texts.add("[" + entityLayer + "] " + text.strip());
            }
        }

        private String group(int code) {
            StringBuilder value = groups.get(code);
            return value == null ? "" : value.toString();
        }

        DocumentModel toDocument(int maxChars) {
            if (entityCounts.isEmpty() && header.isEmpty() && layers.isEmpty()) {
                throw new InvalidDocumentException("the DXF holds no header, tables or entities");
            }
            TextBuilder text = new TextBuilder(maxChars);
            String units = units();
            text.section(
                    1,
                    "header",
                    "DXF drawing, AutoCAD version " + header.getOrDefault("$ACADVER", "unknown") + ", units " + units);
            StringBuilder title = new StringBuilder();
            titleBlock.forEach((field, value) ->
                    title.append(field).append(": ").append(value).append('\n'));
            text.section(1, "title-block", title.toString());
            text.section(1, "text", String.join("\n", texts));
            text.section(1, "dimensions", dimensions.isEmpty() ? "" : "Dimensions: " + String.join(", ", dimensions));
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("units", units);
            metadata.put("version", header.getOrDefault("$ACADVER", ""));
            metadata.put("layers", List.copyOf(layers));
            metadata.put("blocks", List.copyOf(blocks));
            metadata.put("entityCounts", entityCounts);
            metadata.put("titleBlock", titleBlock);
            metadata.put("attributes", attributes);
            metadata.put("dimensions", dimensions);
            return text.build("dxf", metadata);
        }

        private String units() {
            Object code = header.get("$INSUNITS");
            if (code == null) {
                return "unspecified";
            }
            try {
                return UNITS.getOrDefault(Integer.parseInt(code.toString().strip()), "code " + code);
            } catch (NumberFormatException e) {
                return "code " + code;
            }
        }

        private static String string(Object value) {
            return value == null ? null : value.toString();
        }
    }
}
