package io.distill.model.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.model.jobs.JobOptions.InvalidOptionsException;
import io.distill.model.jobs.JobOptions.PageRange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobOptionsTest {

    @Test
    void noOptionsAreTheDefaults() {
        assertSame(JobOptions.DEFAULTS, JobOptions.parse(null));
        assertSame(JobOptions.DEFAULTS, JobOptions.parse(Map.of()));
        assertTrue(JobOptions.DEFAULTS.readsPage(1));
        assertEquals(Map.of(), JobOptions.DEFAULTS.toMap());
    }

    @Test
    void everyOptionIsReadAndWrittenBackNormalised() {
        JobOptions options = JobOptions.parse(Map.of(
                "pages",
                " 1-3, 7 ,10-12",
                "ocr",
                "force",
                "ocrLanguage",
                "deu+eng",
                "attachments",
                false,
                "maxChars",
                5000,
                "model",
                "gpt-4o-mini",
                "force",
                true));
        assertTrue(options.force());
        assertEquals(List.of(new PageRange(1, 3), new PageRange(7, 7), new PageRange(10, 12)), options.pages());
        assertTrue(options.readsPage(2) && options.readsPage(7) && options.readsPage(12));
        assertFalse(options.readsPage(4) || options.readsPage(13));
        assertEquals(JobOptions.Ocr.FORCE, options.ocr());
        assertEquals(
                Map.of(
                        "pages",
                        "1-3,7,10-12",
                        "ocr",
                        "force",
                        "ocrLanguage",
                        "deu+eng",
                        "attachments",
                        false,
                        "maxChars",
                        5000,
                        "model",
                        "gpt-4o-mini",
                        "force",
                        true),
                options.toMap());
        assertEquals(options, JobOptions.parse(options.toMap()), "what is stored reads back the same");
        assertEquals(
                List.of(new PageRange(4, 4)),
                JobOptions.parse(Map.of("pages", 4)).pages());
    }

    @Test
    void attachmentsKeepTheOcrChoicesOnly() {
        JobOptions attachment = JobOptions.parse(Map.of("pages", "2", "ocr", "off", "maxChars", 10, "model", "m"))
                .forAttachment();
        assertEquals(Map.of("ocr", "off"), attachment.toMap());
    }

    @Test
    void anUnknownKeyNamesTheAcceptedOnes() {
        InvalidOptionsException e =
                assertThrows(InvalidOptionsException.class, () -> JobOptions.parse(Map.of("page", "1")));
        assertEquals(
                "unknown option 'page'; accepted: pages, ocr, ocrLanguage, attachments, maxChars, model, force",
                e.getMessage());
    }

    @Test
    void wrongTypesAndValuesAreRefusedWithTheReason() {
        Map<String, Object> bad = new HashMap<>();
        bad.put("pages", List.of(1, 2));
        bad.put("ocr", "sometimes");
        bad.put("ocrLanguage", "english; rm -rf /");
        bad.put("attachments", "yes");
        bad.put("force", 1);
        bad.put("maxChars", 0);
        bad.put("model", "gpt 4o; drop table");
        for (Map.Entry<String, Object> option : bad.entrySet()) {
            InvalidOptionsException e = assertThrows(
                    InvalidOptionsException.class,
                    () -> JobOptions.parse(Map.of(option.getKey(), option.getValue())),
                    option.toString());
            assertTrue(e.getMessage().startsWith("option '" + option.getKey() + "'"), e.getMessage());
        }
        for (String pages : List.of("", "0", "3-1", "1-", "-2", "1,,2", "1e3", "99999999", "१-२")) {
            assertThrows(InvalidOptionsException.class, () -> JobOptions.parse(Map.of("pages", pages)), pages);
        }
        assertThrows(InvalidOptionsException.class, () -> JobOptions.parse(Map.of("maxChars", 5_000_000_000L)));
        assertThrows(InvalidOptionsException.class, () -> JobOptions.parse(Map.of("maxChars", 2.5)));
    }

    @Test
    void hostilePageListsAreBoundedAndLinear() {
        assertThrows(
                InvalidOptionsException.class,
                () -> JobOptions.parse(Map.of("pages", "1,".repeat(101) + "1")),
                "too many ranges");
        assertThrows(
                InvalidOptionsException.class, () -> JobOptions.parse(Map.of("pages", "1".repeat(5_000))), "too long");
        assertThrows(InvalidOptionsException.class, () -> JobOptions.parse(Map.of("pages", "1-2\u0000")));
        String languages = "eng+".repeat(10_000) + "!";
        assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(1),
                () -> assertThrows(
                        InvalidOptionsException.class, () -> JobOptions.parse(Map.of("ocrLanguage", languages))));
    }
}
