package io.distill.model.projects;

import io.distill.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The project templates that ship with Distill; {@value #GENERIC} is used when a job names no project. */
public final class Templates {
    public static final String GENERIC = "generic";
    public static final List<String> NAMES = List.of(GENERIC, "news-event", "broker-report", "drawing");
    private static final Map<String, ProjectDefinition> BUILT_IN =
            NAMES.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), Templates::load));

    private Templates() {}

    public static boolean exists(String name) {
        return BUILT_IN.containsKey(name);
    }

    public static ProjectDefinition get(String name) {
        ProjectDefinition template = BUILT_IN.get(name);
        if (template == null) {
            throw new IllegalArgumentException("no template '" + name + "'; templates: " + NAMES);
        }
        return template;
    }

    private static ProjectDefinition load(String name) {
        try (InputStream in = Templates.class.getResourceAsStream("/distill/templates/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("template resource missing: " + name);
            }
            return Json.mapper().readValue(in, ProjectDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
