package io.distill.api.projects;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.distill.model.projects.ProjectDefinition;
import java.time.Instant;
import java.util.UUID;

/** A project as its owner sees it: the current (or asked-for) version and its definition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectView(
        UUID id,
        String name,
        String template,
        int version,
        ProjectDefinition definition,
        Instant createdAt,
        Instant updatedAt) {}
