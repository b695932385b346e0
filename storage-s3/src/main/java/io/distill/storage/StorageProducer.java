package io.distill.storage;

import io.distill.model.files.FileStorage;
import io.distill.model.files.LocalFileStorage;
import io.distill.storage.s3.S3FileStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The upload storage of a service (the API writes, workers read the same place), by
 * {@code distill.storage.kind}: {@code local} (a shared directory) or {@code s3}.
 */
@ApplicationScoped
public class StorageProducer {

    @Produces
    @ApplicationScoped
    FileStorage storage(@ConfigProperty(name = "distill.storage.kind") String kind,
                        @ConfigProperty(name = "distill.storage.local.root") Path root,
                        @ConfigProperty(name = "distill.storage.s3.bucket") Optional<String> bucket,
                        @ConfigProperty(name = "distill.storage.s3.region") String region,
                        @ConfigProperty(name = "distill.storage.s3.endpoint") Optional<String> endpoint,
                        @ConfigProperty(name = "distill.storage.s3.access-key") Optional<String> accessKey,
                        @ConfigProperty(name = "distill.storage.s3.secret-key") Optional<String> secretKey,
                        @ConfigProperty(name = "distill.storage.s3.create-bucket") boolean createBucket) {
        return switch (kind) {
            case "local" -> new LocalFileStorage(root);
            case "s3" -> new S3FileStorage(new S3FileStorage.Settings(
                    bucket.orElseThrow(() -> new IllegalStateException("distill.storage.kind=s3 needs distill.storage.s3.bucket")),
                    region, endpoint, accessKey, secretKey, createBucket));
            default -> throw new IllegalStateException("distill.storage.kind=" + kind + " is not one of local, s3");
        };
    }
}
