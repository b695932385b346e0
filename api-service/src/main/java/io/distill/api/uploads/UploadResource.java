package io.distill.api.uploads;

import io.distill.api.identity.CurrentUser;
import io.distill.api.jobs.JobService;
import io.distill.api.ratelimit.SubmissionRateLimit;
import io.distill.model.Json;
import io.distill.model.files.DocumentFormat;
import io.distill.model.files.FileStorage;
import io.distill.model.files.FormatDetector;
import io.distill.model.input.UntrustedInput;
import io.distill.model.jobs.JobOptions;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * {@code POST /api/jobs/upload}: a document to extract from. The format is decided from the
 * extension and checked against the content; the file is stored under a server-generated name
 * (the original name is kept only as data) and the job is created like a message job.
 */
@Path("/api/jobs/upload")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class UploadResource {
    private final JobService jobs;
    private final FileStorage storage;
    private final SubmissionRateLimit rateLimit;
    private final CurrentUser user;
    private final long maxBytes;

    public UploadResource(
            JobService jobs,
            FileStorage storage,
            SubmissionRateLimit rateLimit,
            CurrentUser user,
            @ConfigProperty(name = "distill.upload.max-size") MemorySize maxSize) {
        this.jobs = jobs;
        this.storage = storage;
        this.rateLimit = rateLimit;
        this.user = user;
        this.maxBytes = maxSize.asLongValue();
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @APIResponse(
            responseCode = "202",
            description = "Accepted: the job, the stored size, the detected format and the options as they apply",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SubmittedUpload.class)))
    @Blocking // reads the head of the file and copies it into storage
    public Uni<Response> upload(
            @RestForm("file") FileUpload file,
            @RestForm("options") String options,
            @RestForm("recordId") String recordId,
            @RestForm("fieldId") String fieldId,
            @RestForm("attachmentId") String attachmentId,
            @RestForm("project") String project) {
        if (file == null) {
            throw new BadRequestException("a multipart field 'file' is required");
        }
        if (file.size() > maxBytes) {
            throw new ClientErrorException(
                    "the file is " + file.size() + " bytes; uploads are limited to " + maxBytes,
                    Response.Status.REQUEST_ENTITY_TOO_LARGE);
        }
        for (Map.Entry<String, String> field : Map.of(
                        "recordId",
                        nn(recordId),
                        "fieldId",
                        nn(fieldId),
                        "attachmentId",
                        nn(attachmentId),
                        "project",
                        nn(project))
                .entrySet()) {
            String problem = field.getValue().length() > 255
                    ? "must be at most 255 characters"
                    : UntrustedInput.problemWith(field.getValue());
            if (problem != null) {
                throw new BadRequestException(field.getKey() + " " + problem);
            }
        }
        JobOptions parsedOptions = JobOptions.parse(parseOptions(options));
        DocumentFormat format = FormatDetector.detect(file.fileName(), head(file));
        String userId = user.id();
        return rateLimit
                .hit(userId)
                .chain(() -> jobs.admit(userId))
                .chain(() -> {
                    String url = store(file, format);
                    Map<String, Object> metadata = new java.util.LinkedHashMap<>();
                    putIfPresent(metadata, "recordId", recordId);
                    putIfPresent(metadata, "fieldId", fieldId);
                    putIfPresent(metadata, "attachmentId", attachmentId);
                    metadata.put("contentType", file.contentType() == null ? "" : file.contentType());
                    return jobs.submitUpload(
                            userId,
                            new JobService.Upload(
                                    safeName(file.fileName()), url, file.size(), format.id(), sha256(file)),
                            metadata,
                            parsedOptions,
                            project);
                })
                .map(job -> {
                    URI location = URI.create("/api/jobs/" + job.id());
                    return Response.accepted(new SubmittedUpload(
                                    job.id(),
                                    job.status(),
                                    location.toString(),
                                    file.size(),
                                    format.id(),
                                    parsedOptions.toMap()))
                            .location(location)
                            .build();
                });
    }

    /** The content's identity: a second upload of the same bytes reuses the first one's result. */
    private static String sha256(FileUpload file) {
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static byte[] head(FileUpload file) {
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            return in.readNBytes(FormatDetector.HEAD_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String store(FileUpload file, DocumentFormat format) {
        try {
            // the stored name keeps the upload's own extension (.doc and .docx are one format, two containers)
            String extension = FormatDetector.extension(file.fileName());
            return storage.store(
                    file.uploadedFile(),
                    format.extensions().contains(extension)
                            ? extension
                            : format.extensions().get(0));
        } catch (IOException e) {
            throw new UncheckedIOException("storing the upload failed", e);
        }
    }

    private static String nn(String value) {
        return value == null ? "" : value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseOptions(String options) {
        if (options == null || options.isBlank()) {
            return Map.of();
        }
        if (options.length() > UntrustedInput.MAX_JSON_BYTES) {
            throw new BadRequestException("options is longer than " + UntrustedInput.MAX_JSON_BYTES + " characters");
        }
        Object parsed;
        try {
            parsed = Json.strictReader().readValue(options, Object.class);
        } catch (java.io.IOException e) {
            throw new BadRequestException("options is not valid JSON");
        }
        if (!(parsed instanceof Map)) {
            throw new BadRequestException("options must be a JSON object");
        }
        String problem = UntrustedInput.problemWithJson((Map<String, Object>) parsed);
        if (problem != null) {
            throw new BadRequestException("options " + problem);
        }
        return (Map<String, Object>) parsed;
    }

    /** The original name as data only: no directories, no control characters, bounded. */
    static String safeName(String name) {
        String base = name == null ? "" : name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}]", "");
        return base.length() > 255 ? base.substring(base.length() - 255) : base;
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }
}
