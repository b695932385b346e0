package io.distill.worker.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Merges the records of a document's parts, deterministically and in document order: the first
 * non-null value of a field wins, objects merge field by field, lists are concatenated without
 * repeating an element.
 */
final class RecordMerge {
    private RecordMerge() {}

    static ObjectNode merge(List<ObjectNode> parts) {
        ObjectNode merged = parts.get(0).deepCopy();
        for (ObjectNode part : parts.subList(1, parts.size())) {
            mergeInto(merged, part);
        }
        return merged;
    }

    private static void mergeInto(ObjectNode target, ObjectNode part) {
        part.properties().forEach(entry -> {
            JsonNode current = target.get(entry.getKey());
            JsonNode next = entry.getValue();
            if (current == null || current.isNull()) {
                target.set(entry.getKey(), next.deepCopy());
            } else if (current.isObject() && next.isObject()) {
                mergeInto((ObjectNode) current, (ObjectNode) next);
            } else if (current.isArray() && next.isArray()) {
                ArrayNode list = (ArrayNode) current;
                next.forEach(item -> {
                    boolean seen = false;
                    for (JsonNode existing : list) {
                        seen |= existing.equals(item);
                    }
                    if (!seen) {
                        list.add(item.deepCopy());
                    }
                });
            }
        });
    }
}
