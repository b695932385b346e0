package io.distill.model.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where uploaded files live between the API that receives them and the worker that reads them.
 * A file is named by the URL {@link #store} returns; names are generated here, never taken from users.
 */
public interface FileStorage {

    /** Stores the content under a new server-generated name and returns its URL. */
    String store(Path content, String extension) throws IOException;

    /** Opens a stored file. */
    InputStream open(String url) throws IOException;

    /** A local path to the file (a temporary copy where the storage is remote); the caller deletes copies. */
    Path localCopy(String url) throws IOException;

    boolean isLocal(String url);
}
