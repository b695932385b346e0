package io.distill.worker.formats.text;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.TextBuilder;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/** Plain text and Markdown: UTF-8 (Latin-1 when it is not), one section per paragraph. */
@ApplicationScoped
public class PlainTextExtractor implements FormatExtractor {

    @Override
    public Set<String> formats() {
        return Set.of("text", "markdown");
    }

    @Override
    public DocumentModel extract(Source source, ExtractionLimits limits) throws IOException {
        String text = decode(source.readAll(limits.maxTextFileBytes())).replace("\r\n", "\n");
        TextBuilder builder = new TextBuilder(limits.maxTextChars());
        for (String paragraph : text.split("\\n\\s*\\n")) {
            builder.section(1, "paragraph", paragraph);
        }
        long lines = text.isEmpty() ? 0 : text.lines().count();
        return builder.build("text", Map.of("chars", text.length(), "lines", lines));
    }

    public static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
