package io.distill.api.projects;

import io.distill.api.validation.CleanText;
import io.distill.model.projects.ProjectDefinition;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/projects}: a name and either a built-in template, a full definition, or both
 * (the definition then replaces the template's, and the template is recorded as its origin).
 */
public record ProjectRequest(
        @NotBlank(message = "is required") @Size(max = 120, message = "must be at most 120 characters") @CleanText
        String name,

        @Size(max = 120, message = "must be at most 120 characters") @CleanText
        String template,

        ProjectDefinition definition) {}
