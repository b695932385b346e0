package io.distill.worker.storage;

import io.distill.model.files.FileStorage;
import io.distill.model.files.LocalFileStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;

/** The storage uploads are read from: the directory the API writes to (a shared volume). */
@ApplicationScoped
public class StorageProducer {

    @Produces
    @ApplicationScoped
    FileStorage storage(@ConfigProperty(name = "distill.storage.local.root") Path root) {
        return new LocalFileStorage(root);
    }
}
