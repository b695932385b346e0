package io.distill.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three services as their own configuration describes them: each setting of
 * application.properties (a commented {@code # key=value} line documents a setting that has no
 * default), with the comment above it. What the deployment files are checked against.
 */
final class Services {
    static final Path ROOT =
            Path.of(System.getProperty("distill.root", "..")).toAbsolutePath().normalize();
    private static final Pattern SETTING =
            Pattern.compile("^(#\\s*)?([a-z][a-zA-Z0-9_.\"-]*\\.[a-zA-Z0-9_.\"-]+)=(.*)$");

    /** One service: its module, its Kubernetes Deployment and compose service names. */
    enum Service {
        API("api-service", "distill-api", "api"),
        WORKER("extraction-worker", "distill-worker", "worker"),
        GATEWAY("ws-gateway", "distill-gateway", "gateway");

        final String module;
        final String deployment;
        final String composeName;

        Service(String module, String deployment, String composeName) {
            this.module = module;
            this.deployment = deployment;
            this.composeName = composeName;
        }

        static Service ofDeployment(String name) {
            for (Service s : values()) {
                if (s.deployment.equals(name)) {
                    return s;
                }
            }
            throw new AssertionError("a Deployment no service owns: " + name);
        }

        Map<String, Setting> settings() {
            return Services.settings(module);
        }

        String value(String key) {
            Setting setting = settings().get(key);
            if (setting == null || setting.required()) {
                throw new AssertionError(module + " has no value for " + key);
            }
            return setting.value();
        }

        int httpPort() {
            return Integer.parseInt(value("quarkus.http.port"));
        }

        /** The management interface's port, or null where health and metrics stay on the public port. */
        Integer managementPort() {
            Setting enabled = settings().get("quarkus.management.enabled");
            return enabled != null && "true".equals(enabled.value())
                    ? Integer.valueOf(value("quarkus.management.port"))
                    : null;
        }

        String image() {
            return value("quarkus.container-image.group") + "/" + value("quarkus.container-image.name");
        }
    }

    /** A setting: its default (or, when {@code required}, an example or nothing) and what the comments above it say. */
    record Setting(String key, String value, boolean required, String notes) {
        String environmentVariable() {
            return envName(key);
        }
    }

    private Services() {}

    /** MicroProfile Config's rule: every character that is not a letter or digit becomes '_', all upper case. */
    static String envName(String key) {
        return key.replaceAll("[^a-zA-Z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    static Map<String, Setting> settings(String module) {
        List<String> lines;
        try {
            lines = Files.readAllLines(ROOT.resolve(module).resolve("src/main/resources/application.properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Setting> settings = new LinkedHashMap<>();
        StringBuilder comment = new StringBuilder();
        boolean afterSetting = false;
        for (String raw : lines) {
            String line = raw.strip();
            Matcher m = SETTING.matcher(line);
            if (line.startsWith("%")) {
                continue;
            }
            if (m.matches()) {
                boolean commented = m.group(1) != null;
                String key = m.group(2);
                String value = m.group(3).strip();
                afterSetting = true;
                if (!commented || !settings.containsKey(key)) {
                    // a commented setting has no default: its value, if any, is an example
                    settings.put(
                            key,
                            new Setting(
                                    key,
                                    value.isEmpty() ? null : value,
                                    commented,
                                    comment.toString().strip()));
                }
            } else if (line.startsWith("#")) {
                // a comment after settings starts the next block: it describes what follows it
                if (afterSetting) {
                    comment.setLength(0);
                    afterSetting = false;
                }
                String text = line.replaceFirst("^#+\\s*", "");
                if (text.startsWith("---")) {
                    comment.setLength(0);
                    text = text.replaceFirst("^-+\\s*", "");
                }
                comment.append(' ').append(text);
            } else if (line.isEmpty()) {
                comment.setLength(0);
                afterSetting = false;
            }
        }
        return settings;
    }
}
