package io.distill.model.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.model.Json;
import io.distill.model.Tenancy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class UntrustedInputTest {

    @Test
    void textWithNulOrAnUnpairedSurrogateIsRefusedAndEverythingElseTaken() {
        assertNull(UntrustedInput.problemWith("plain text, émoji 😀, 中文, tabs\tand\nlines"));
        assertEquals("contains a NUL character (U+0000)", UntrustedInput.problemWith("a\u0000b"));
        assertTrue(UntrustedInput.problemWith("a\uD800b").contains("unpaired surrogate"));
        assertTrue(UntrustedInput.problemWith("a\uDC00").contains("unpaired surrogate"));
        assertTrue(UntrustedInput.problemWith("\uD83D").contains("unpaired surrogate"));
    }

    @Test
    void jsonValuesAreBoundedInDepthKeysAndSize() {
        Map<String, Object> deep = new HashMap<>();
        Map<String, Object> level = deep;
        for (int i = 0; i < UntrustedInput.MAX_DEPTH + 1; i++) {
            Map<String, Object> next = new HashMap<>();
            level.put("k", next);
            level = next;
        }
        assertTrue(UntrustedInput.problemWithJson(deep).contains("nested deeper"));
        Map<String, Object> many = new HashMap<>();
        for (int i = 0; i <= UntrustedInput.MAX_KEYS; i++) {
            many.put("k" + i, i);
        }
        assertTrue(UntrustedInput.problemWithJson(many).contains("more than"));
        assertTrue(UntrustedInput.problemWithJson(Map.of("big", "x".repeat(UntrustedInput.MAX_JSON_BYTES)))
                .contains("bytes as JSON"));
        assertTrue(UntrustedInput.problemWithJson(Map.of("nul\u0000key", 1)).contains("NUL"));
        assertTrue(UntrustedInput.problemWithJson(Map.of("list", List.of("ok", "bad\u0000")))
                .contains("NUL"));
        assertNull(UntrustedInput.problemWithJson(Map.of("channel", "x", "tags", List.of("a", "b"), "n", 3)));
    }

    @Test
    void aJsonTreeIsCheckedInNamesAndValues() {
        assertTrue(UntrustedInput.problemWithTree(
                        Json.read("{\"a\":{\"b\\u0000\":1}}", com.fasterxml.jackson.databind.JsonNode.class))
                .contains("NUL"));
        assertNull(UntrustedInput.problemWithTree(
                Json.read("{\"a\":[\"x\",{\"y\":\"z\"}]}", com.fasterxml.jackson.databind.JsonNode.class)));
    }

    @Test
    void tenantProofsDependOnTheKeyAndTheUserAndWeakKeysAreRefused() {
        Tenancy one = new Tenancy("k".repeat(32));
        Tenancy other = new Tenancy("j".repeat(32));
        assertEquals(64, one.proof("alice").length());
        assertEquals(one.proof("alice"), one.proof("alice"));
        assertNotEquals(one.proof("alice"), one.proof("bob"));
        assertNotEquals(one.proof("alice"), other.proof("alice"));
        assertThrows(IllegalStateException.class, () -> new Tenancy("short"));
        assertThrows(IllegalStateException.class, () -> new Tenancy("quote'injection".repeat(3)));
    }
}
