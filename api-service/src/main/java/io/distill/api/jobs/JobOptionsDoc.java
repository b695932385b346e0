package io.distill.api.jobs;

/** What the OpenAPI document says of a job's {@code options}; the rules are {@link io.distill.model.jobs.JobOptions}. */
public final class JobOptionsDoc {
    public static final String DESCRIPTION = "How the job is read, checked on submission (400 invalid_options): "
            + "pages (PDF page ranges, \"1-3,7\"), ocr (auto | off | force), ocrLanguage (Tesseract languages, \"deu+eng\"), "
            + "attachments (false: e-mail attachments listed, not read), maxChars (keep the first N characters of the text), "
            + "model (one of the project's model.name and model.allowed)";

    private JobOptionsDoc() {}
}
