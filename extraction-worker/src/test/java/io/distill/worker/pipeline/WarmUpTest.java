package io.distill.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.distill.worker.formats.DefaultLimits;
import io.distill.worker.formats.FormatRegistry;
import io.distill.worker.formats.ocr.Ocr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WarmUpTest {
    @Test
    void theSampleGoesThroughTheTextExtractorAndIsAValidGenericRecord() {
        // run() throws when the sample yields no text or the generic template refuses the sample record:
        // a template change that the sample no longer matches would leave the warm-up doing half its work
        WarmUp warmUp = new WarmUp(FormatRegistry.standalone(new Ocr(null)), DefaultLimits.INSTANCE);
        assertDoesNotThrow(warmUp::run);
    }
}
