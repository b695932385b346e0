package io.distill.storage.s3;

import io.distill.model.files.FileStorage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Uploads in an S3 bucket: AWS S3 or any S3-compatible store (path-style addressing and a custom
 * endpoint). URLs are {@code s3://bucket/YYYY/MM/DD/<uuid>.<ext>}; keys are generated here only,
 * and a URL for another bucket or a key of another shape is refused.
 */
public final class S3FileStorage implements FileStorage, AutoCloseable {
    private static final Pattern KEY = Pattern.compile("\\d{4}/\\d{2}/\\d{2}/[0-9a-f-]{36}\\.[a-z0-9]{1,8}");

    private final S3Client s3;
    private final String bucket;

    /** Settings of the S3 storage; endpoint and keys empty means AWS itself and its default credentials chain. */
    public record Settings(
            String bucket,
            String region,
            Optional<String> endpoint,
            Optional<String> accessKey,
            Optional<String> secretKey,
            boolean createBucket) {}

    public S3FileStorage(Settings settings) {
        AwsCredentialsProvider credentials = settings.accessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        settings.accessKey().get(), settings.secretKey().orElse("")))
                : DefaultCredentialsProvider.builder().build();
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(settings.endpoint().isPresent())
                        .build());
        settings.endpoint().ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
        this.s3 = builder.build();
        this.bucket = settings.bucket();
        if (settings.createBucket()) {
            createBucketIfMissing();
        }
    }

    @Override
    public String store(Path content, String extension) throws IOException {
        LocalDate today = LocalDate.now();
        String key = String.format(
                "%04d/%02d/%02d/%s.%s",
                today.getYear(), today.getMonthValue(), today.getDayOfMonth(), UUID.randomUUID(), extension);
        try {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(content));
        } catch (S3Exception e) {
            throw new IOException(
                    "storing in s3://" + bucket + " failed: "
                            + e.awsErrorDetails().errorMessage(),
                    e);
        }
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public InputStream open(String url) throws IOException {
        String key = key(url);
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(url);
        } catch (S3Exception e) {
            throw new IOException(
                    "reading " + url + " failed: " + e.awsErrorDetails().errorMessage(), e);
        }
    }

    @Override
    public Path localCopy(String url) throws IOException {
        Path copy = Files.createTempFile("distill-s3-", "-" + url.substring(url.lastIndexOf('/') + 1));
        try (InputStream in = open(url)) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
    }

    @Override
    public boolean isLocal(String url) {
        return false;
    }

    private String key(String url) throws IOException {
        String prefix = "s3://" + bucket + "/";
        if (url == null
                || !url.startsWith(prefix)
                || !KEY.matcher(url.substring(prefix.length())).matches()) {
            throw new IOException("not a URL of this storage: " + url);
        }
        return url.substring(prefix.length());
    }

    private void createBucketIfMissing() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
