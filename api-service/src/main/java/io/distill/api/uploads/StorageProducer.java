package io.distill.api.uploads;

import io.distill.model.files.FileStorage;
import io.distill.model.files.LocalFileStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;

/** Where uploads are stored for the workers: a directory shared with them (a ReadWriteMany volume). */
@ApplicationScoped
public class StorageProducer {

    @Produces
    @ApplicationScoped
    FileStorage storage(@ConfigProperty(name = "distill.storage.local.root") Path root) {
        return new LocalFileStorage(root);
    }
}
