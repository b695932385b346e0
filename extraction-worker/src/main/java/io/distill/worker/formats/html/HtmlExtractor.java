package io.distill.worker.formats.html;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.TextBuilder;
import io.distill.worker.formats.text.TextDecoding;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/** HTML with jsoup: the text without markup, one section per heading, paragraph, list item or cell. */
@ApplicationScoped
public class HtmlExtractor implements FormatExtractor {
    private static final String BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, td, th, pre, blockquote, dt, dd";

    @Override
    public Set<String> formats() {
        return Set.of("html");
    }

    @Override
    public DocumentModel extract(Source source, ExtractionLimits limits) throws IOException {
        byte[] bytes = source.readAll(limits.maxTextFileBytes());
        Document html = Jsoup.parse(new ByteArrayInputStream(bytes), null, "");
        if (html.text().indexOf('\uFFFD') >= 0) {
            // the declared charset is wrong (it happens): decide from the bytes instead
            html = Jsoup.parse(TextDecoding.decode(bytes), "");
        }
        return toDocument(html, limits.maxTextChars());
    }

    /** Shared with e-mail bodies that only come as HTML. */
    public static DocumentModel toDocument(Document html, int maxChars) {
        html.select("script, style, noscript, template").remove();
        TextBuilder text = new TextBuilder(maxChars);
        var blocks = html.body() == null ? null : html.body().select(BLOCKS);
        if (blocks == null || blocks.isEmpty()) {
            text.section(1, "body", html.text());
        } else {
            for (Element block : blocks) {
                // nested blocks (a p inside an li) are reached through their parent's own text
                if (block.parents().stream().noneMatch(p -> p.is(BLOCKS))) {
                    text.section(1, block.tagName().matches("h\\d") ? "heading" : "paragraph", block.text());
                }
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("title", html.title());
        metadata.put("links", html.select("a[href]").size());
        return text.build("html", metadata);
    }
}
