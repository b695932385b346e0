package io.distill.model.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Files in a directory shared by the API and the workers (a ReadWriteMany volume in Kubernetes).
 * URLs are {@code local:YYYY/MM/DD/<uuid>.<ext>}; a URL that would leave the directory is refused.
 */
public final class LocalFileStorage implements FileStorage {
    public static final String SCHEME = "local:";
    private static final Pattern KEY = Pattern.compile("\\d{4}/\\d{2}/\\d{2}/[0-9a-f-]{36}\\.[a-z0-9]{1,8}");

    private final Path root;

    public LocalFileStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String store(Path content, String extension) throws IOException {
        LocalDate today = LocalDate.now();
        String key = String.format(
                "%04d/%02d/%02d/%s.%s",
                today.getYear(), today.getMonthValue(), today.getDayOfMonth(), UUID.randomUUID(), extension);
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.copy(content, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return SCHEME + key;
    }

    @Override
    public InputStream open(String url) throws IOException {
        return Files.newInputStream(localCopy(url));
    }

    @Override
    public Path localCopy(String url) throws IOException {
        if (!isLocal(url)) {
            throw new IOException("not a local storage URL: " + url);
        }
        Path file = resolve(url.substring(SCHEME.length()));
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(url);
        }
        return file;
    }

    @Override
    public boolean isLocal(String url) {
        return url != null
                && url.startsWith(SCHEME)
                && KEY.matcher(url.substring(SCHEME.length())).matches();
    }

    private Path resolve(String key) throws IOException {
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root)) {
            throw new IOException("storage key escapes the storage directory");
        }
        return file;
    }
}
