package io.distill.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.testinfra.S3Local;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The S3 storage against a real S3-compatible server (S3Proxy) over HTTP with SigV4. */
@Tag("infra")
class S3FileStorageTest {
    static S3Local server;
    static S3FileStorage storage;

    @BeforeAll
    static void start() throws Exception {
        server = S3Local.start();
        storage = new S3FileStorage(new S3FileStorage.Settings(
                "distill-uploads",
                "us-east-1",
                Optional.of(server.endpoint()),
                Optional.of(S3Local.ACCESS_KEY),
                Optional.of(S3Local.SECRET_KEY),
                true));
    }

    @AfterAll
    static void stop() {
        if (storage != null) {
            storage.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aStoredFileComesBackByItsUrl() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(content);
        Path file = Files.createTempFile("s3-", ".pdf");
        Files.write(file, content);
        String url = storage.store(file, "pdf");
        assertTrue(url.matches("s3://distill-uploads/\\d{4}/\\d{2}/\\d{2}/[0-9a-f-]{36}\\.pdf"), url);
        try (InputStream in = storage.open(url)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        Path copy = storage.localCopy(url);
        assertArrayEquals(content, Files.readAllBytes(copy));
        Files.delete(copy);
        assertFalse(storage.isLocal(url));
    }

    @Test
    void urlsOutsideTheStorageAreRefused() {
        assertThrows(
                IOException.class,
                () -> storage.open("s3://other-bucket/2026/01/01/00000000-0000-0000-0000-000000000000.pdf"));
        assertThrows(IOException.class, () -> storage.open("s3://distill-uploads/../../etc/passwd"));
        assertThrows(IOException.class, () -> storage.open("local:2026/01/01/x.pdf"));
        assertThrows(
                NoSuchFileException.class,
                () -> storage.open("s3://distill-uploads/2026/01/01/00000000-0000-0000-0000-000000000000.pdf"));
    }
}
