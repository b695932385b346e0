package io.distill.worker.formats.dxf;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.InvalidDocumentException;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.TextBuilder;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ASCII DXF, streamed group by group: units and version from the header, layers, blocks, the text
 * of TEXT/MTEXT/ATTRIB/DIMENSION entities, and the title block (attributes such as drawing number,
 * title, revision, scale). No maintained Java DXF library exists on Maven Central (kabeja is
 * abandoned), so this reads the group-code format itself; only ASCII DXF is supported.
 */
@ApplicationScoped
public class DxfExtractor implements FormatExtractor {
    /** $INSUNITS codes (AutoCAD DXF reference). */
    private static final Map<Integer, String> UNITS = Map.ofEntries(Map.entry(0, "unitless"), Map.entry(1, "inches"),
            Map.entry(2, "feet"), Map.entry(3, "miles"), Map.entry(4, "millimeters"), Map.entry(5, "centimeters"),
            Map.entry(6, "meters"), Map.entry(7, "kilometers"), Map.entry(8, "microinches"), Map.entry(9, "mils"),
            Map.entry(10, "yards"), Map.entry(14, "decimeters"));
    /** Attribute tags of title blocks, as drafters name them, to the fields Distill reports. */
    private static final Map<String, String> TITLE_FIELDS = Map.ofEntries(
            Map.entry("DRAWING_NO", "drawingNumber"), Map.entry("DRAWING_NUMBER", "drawingNumber"), Map.entry("DWG_NO", "drawingNumber"),
            Map.entry("DWGNO", "drawingNumber"), Map.entry("DRAWINGNO", "drawingNumber"), Map.entry("DOC_NO", "drawingNumber"),
            Map.entry("TITLE", "title"), Map.entry("DRAWING_TITLE", "title"), Map.entry("REV", "revision"),
            Map.entry("REVISION", "revision"), Map.entry("SCALE", "scale"), Map.entry("DATE", "date"),
            Map.entry("DRAWN", "author"), Map.entry("DRAWN_BY", "author"), Map.entry("AUTHOR", "author"),
            Map.entry("MATERIAL", "material"), Map.entry("SHEET", "sheet"), Map.entry("COMPANY", "organization"),
            Map.entry("ORGANIZATION", "organization"), Map.entry("CHECKED", "checkedBy"), Map.entry("PROJECT", "project"));

    @Override
    public Set<String> formats() {
        return Set.of("dxf");
    }

    @Override
    public DocumentModel extract(Source source, ExtractionLimits limits) throws IOException {
        Drawing drawing = new Drawing();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(source.open(), StandardCharsets.ISO_8859_1))) {
            String codeLine;
            while ((codeLine = in.readLine()) != null) {
                String value = in.readLine();
                if (value == null) {
                    throw new InvalidDocumentException("the DXF ends in the middle of a group (truncated)");
                }
                int code;
                try {
                    code = Integer.parseInt(codeLine.strip());
                } catch (NumberFormatException e) {
                    throw new InvalidDocumentException("not an ASCII DXF: expected a group code, found '" + abbreviate(codeLine) + "'");
                }
                drawing.accept(code, value.strip());
                if (drawing.textChars > limits.maxTextChars()) {
                    throw new io.distill.worker.formats.LimitExceededException("drawing text exceeds " + limits.maxTextChars() + " characters");
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new io.distill.worker.formats.LimitExceededException("extraction interrupted (time limit)");
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
                switch (value) {
                    case "SECTION" -> expectSectionName = true;
                    case "ENDSEC" -> section = "";
                    default -> startEntity(value);
                }
                return;
            }
            if (expectSectionName && code == 2) {
                section = value;
                expectSectionName = false;
                return;
            }
            if (section.equals("HEADER")) {
                if (code == 9) {
                    headerVariable = value;
                } else if (headerVariable != null) {
                    header.putIfAbsent(headerVariable, value);
                }
                return;
            }
            if (entity != null && (code == 1 || code == 2 || code == 3 || code == 42)) {
                groups.computeIfAbsent(code, k -> new StringBuilder()).append(value);
                textChars += value.length();
            } else if (entity != null && code == 8) {
                entityLayer = value;
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
            String text1 = group(1);
            switch (entity) {
                case "LAYER" -> {
                    if (section.equals("TABLES") && !group(2).isEmpty()) {
                        layers.add(group(2));
                    }
                }
                case "BLOCK" -> {
                    if (!group(2).isEmpty()) {
                        blocks.add(group(2));
                    }
                }
                case "TEXT" -> addText(text1);
                case "MTEXT" -> addText(mtext(group(3) + text1));
                case "ATTRIB", "ATTDEF" -> {
                    String tag = group(2).toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
                    if (!tag.isEmpty() && !text1.isEmpty() && entity.equals("ATTRIB")) {
                        attributes.putIfAbsent(tag, text1);
                        String field = TITLE_FIELDS.get(tag);
                        if (field != null) {
                            titleBlock.putIfAbsent(field, text1);
                        }
                    }
                }
                case "DIMENSION" -> {
                    String shown = text1.isEmpty() || text1.equals("<>") ? group(42) : text1.replace("<>", group(42));
                    if (!shown.isEmpty()) {
                        dimensions.add(shown);
                    }
                }
                default -> { }
            }
            entity = null;
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
            text.section(1, "header", "DXF drawing, AutoCAD version " + header.getOrDefault("$ACADVER", "unknown") + ", units " + units);
            StringBuilder title = new StringBuilder();
            titleBlock.forEach((field, value) -> title.append(field).append(": ").append(value).append('\n'));
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
    }

    /** MTEXT inline formatting: paragraph breaks become new lines, font and style codes go. */
    static String mtext(String raw) {
        return raw.replace("\\P", "\n").replaceAll("\\\\[A-Za-z][^;\\\\]*;", "").replace("{", "").replace("}", "");
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
