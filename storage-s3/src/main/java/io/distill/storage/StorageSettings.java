package io.distill.storage;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/** Where uploads live ({@code distill.storage.*}): the same settings in the API, which writes, and the workers, which read. */
@ConfigMapping(prefix = "distill.storage")
public interface StorageSettings {
    /** {@code local} (a shared directory) or {@code s3}. */
    String kind();

    Local local();

    S3 s3();

    interface Local {
        Path root();
    }

    /** AWS S3 or any S3-compatible store; endpoint and keys empty = AWS with its default credentials chain. */
    interface S3 {
        Optional<String> bucket();

        String region();

        Optional<String> endpoint();

        Optional<String> accessKey();

        Optional<String> secretKey();

        boolean createBucket();
    }
}
