package io.distill.storage;

import io.distill.model.files.FileStorage;
import io.distill.model.files.LocalFileStorage;
import io.distill.storage.s3.S3FileStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * The upload storage of a service (the API writes, workers read the same place), by
 * {@code distill.storage.kind}: {@code local} (a shared directory) or {@code s3}.
 */
@ApplicationScoped
public class StorageProducer {

    @Produces
    @ApplicationScoped
    FileStorage storage(StorageSettings settings) {
        StorageSettings.S3 s3 = settings.s3();
        return switch (settings.kind()) {
            case "local" -> new LocalFileStorage(settings.local().root());
            case "s3" ->
                new S3FileStorage(new S3FileStorage.Settings(
                        s3.bucket()
                                .orElseThrow(() -> new IllegalStateException(
                                        "distill.storage.kind=s3 needs distill.storage.s3.bucket")),
                        s3.region(),
                        s3.endpoint(),
                        s3.accessKey(),
                        s3.secretKey(),
                        s3.createBucket()));
            default ->
                throw new IllegalStateException("distill.storage.kind=" + settings.kind() + " is not one of local, s3");
        };
    }
}
