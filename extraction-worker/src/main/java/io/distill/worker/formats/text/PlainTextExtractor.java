package io.distill.worker.formats.text;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.FormatExtractor;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plain text and Markdown: UTF-8 (Latin-1 when it is not), split into paragraphs at blank lines. */
@ApplicationScoped
public class PlainTextExtractor implements FormatExtractor {
    private static final Pattern PARAGRAPH = Pattern.compile("\\S(?:.|\\n(?!\\s*\\n))*", Pattern.MULTILINE);

    @Override
    public Set<String> formats() {
        return Set.of("text", "markdown");
    }

    @Override
    public DocumentModel extract(byte[] source) {
        String text = decode(source).replace("\r\n", "\n");
        List<DocumentModel.Section> sections = new ArrayList<>();
        Matcher m = PARAGRAPH.matcher(text);
        while (m.find()) {
            sections.add(new DocumentModel.Section(1, "paragraph", m.start(), m.end()));
        }
        long lines = text.isEmpty() ? 0 : text.lines().count();
        return new DocumentModel("text", text, sections, Map.of("chars", text.length(), "lines", lines));
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
