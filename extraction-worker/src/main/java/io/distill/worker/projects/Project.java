package io.distill.worker.projects;

import io.distill.model.projects.ProjectDefinition;
import io.distill.model.projects.RecordValidator;
import io.distill.model.projects.Templates;
import java.util.UUID;

/** The project version a job runs with, compiled once: its definition and the validator built from it. */
public record Project(UUID id, int version, ProjectDefinition definition, RecordValidator validator) {
    private static final Project GENERIC = of(null, 0, Templates.get(Templates.GENERIC));

    public static Project of(UUID id, int version, ProjectDefinition definition) {
        return new Project(id, version, definition, RecordValidator.compile(definition));
    }

    /** What a job that names no project is extracted with. */
    public static Project generic() {
        return GENERIC;
    }
}
