package io.distill.worker.formats;

import io.distill.model.ErrorClass;
import io.distill.worker.formats.dxf.DxfExtractor;
import io.distill.worker.formats.email.EmailExtractor;
import io.distill.worker.formats.email.OutlookExtractor;
import io.distill.worker.formats.html.HtmlExtractor;
import io.distill.worker.formats.ifc.IfcExtractor;
import io.distill.worker.formats.image.ImageExtractor;
import io.distill.worker.formats.ocr.Ocr;
import io.distill.worker.formats.office.OfficeExtractor;
import io.distill.worker.formats.pdf.PdfExtractor;
import io.distill.worker.formats.step.StepExtractor;
import io.distill.worker.formats.text.PlainTextExtractor;
import io.distill.worker.pipeline.PipelineException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Finds the extractor for a job's format among all {@link FormatExtractor} beans. */
@ApplicationScoped
public class FormatRegistry {
    private final Map<String, FormatExtractor> byFormat = new HashMap<>();

    @Inject
    public FormatRegistry(Instance<FormatExtractor> extractors) {
        this((Iterable<FormatExtractor>) extractors);
    }

    public FormatRegistry(Iterable<? extends FormatExtractor> extractors) {
        for (FormatExtractor extractor : extractors) {
            extractor.formats().forEach(format -> byFormat.put(format, extractor));
        }
    }

    /** Every extractor, wired by hand: for tools and tests that run without the container (the corpus test, the benchmark). */
    public static FormatRegistry standalone(Ocr ocr) {
        AtomicReference<FormatRegistry> registry = new AtomicReference<>();
        NestedDocuments nested = new NestedDocuments(registry::get);
        registry.set(new FormatRegistry(List.of(
                new PdfExtractor(ocr),
                new ImageExtractor(ocr),
                new DxfExtractor(),
                new IfcExtractor(),
                new StepExtractor(),
                new EmailExtractor(nested),
                new OutlookExtractor(nested),
                new HtmlExtractor(),
                new PlainTextExtractor(),
                new OfficeExtractor())));
        return registry.get();
    }

    public FormatExtractor forFormat(String format) {
        FormatExtractor extractor = byFormat.get(format);
        if (extractor == null) {
            throw new PipelineException(ErrorClass.VALIDATION_ERROR, "unsupported format " + format);
        }
        return extractor;
    }
}
