package io.distill.worker.formats.text;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.TextBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/** Plain text and Markdown in whatever charset ({@link TextDecoding}), one section per paragraph. */
@ApplicationScoped
public class PlainTextExtractor implements FormatExtractor {
    private static final com.google.re2j.Pattern PARAGRAPH_BREAK = com.google.re2j.Pattern.compile("\\n\\s*\\n");

    @Override
    public Set<String> formats() {
        return Set.of("text", "markdown");
    }

    @Override
    public DocumentModel extract(Source source, ExtractionLimits limits) throws IOException {
        String text =
                TextDecoding.decode(source.readAll(limits.maxTextFileBytes())).replace("\r\n", "\n");
        TextBuilder builder = new TextBuilder(limits.maxTextChars());
        for (String paragraph : PARAGRAPH_BREAK.split(text)) {
            builder.section(1, "paragraph", paragraph);
        }
        long lines = text.isEmpty() ? 0 : text.lines().count();
        return builder.build("text", Map.of("chars", text.length(), "lines", lines));
    }
}
