package io.distill.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Multi-document YAML as Jackson trees. */
final class Yaml {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private Yaml() {}

    static List<JsonNode> documents(String text) {
        try {
            List<JsonNode> docs = new ArrayList<>();
            var iterator = MAPPER.readerFor(JsonNode.class).readValues(FACTORY.createParser(text));
            while (iterator.hasNext()) {
                JsonNode doc = (JsonNode) iterator.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
