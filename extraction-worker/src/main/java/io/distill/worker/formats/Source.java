package io.distill.worker.formats;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of a job's document: a file (uploads, read where they are stored or from a local copy)
 * or the text of a message. Extractors stream from it; none needs it all in memory.
 */
public final class Source {
    private final Path file;
    private final byte[] bytes;

    private Source(Path file, byte[] bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    public static Source ofFile(Path file) {
        return new Source(file, null);
    }

    public static Source ofBytes(byte[] bytes) {
        return new Source(null, bytes);
    }

    public InputStream open() throws IOException {
        return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(bytes);
    }

    public long size() throws IOException {
        return file != null ? Files.size(file) : bytes.length;
    }

    /** The file, if the source is one (PDFBox reads files at random). */
    public Path file() {
        return file;
    }

    /**
     * The source as a file, for readers that need one (PDFBox reads at random, Tesseract takes a
     * path): the file itself, or a temporary copy of the bytes that closing deletes.
     */
    public LocalFile localFile(String suffix) throws IOException {
        if (file != null) {
            return new LocalFile(file, false);
        }
        Path copy = Files.createTempFile("distill-source-", suffix);
        Files.write(copy, bytes);
        return new LocalFile(copy, true);
    }

    public record LocalFile(Path path, boolean temporary) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (temporary) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** All bytes, refused past {@code limit} (text-like formats, which are small by nature). */
    public byte[] readAll(long limit) throws IOException {
        if (size() > limit) {
            throw new LimitExceededException("document is " + size() + " bytes; text formats are limited to " + limit);
        }
        return file != null ? Files.readAllBytes(file) : bytes;
    }
}
