package io.distill.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.deploy.Services.Service;
import io.distill.deploy.Services.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists every setting of every service with its default and environment
 * variable. It is rendered from the services' application.properties (the comment above a setting
 * is its description), so it cannot drift: this test renders it and compares.
 */
class ConfigurationReferenceTest {
    private static final Path COMMITTED = Services.ROOT.resolve("docs/configuration.md");

    static String render() {
        StringBuilder doc = new StringBuilder("""
                # Configuration reference

                Every setting of every service, rendered from its `application.properties` (the comment above a
                setting describes it). Give a setting as an environment variable (the name shown: MicroProfile
                Config's rule, every character that is not a letter or digit becomes `_`), a system property
                (`-Dkey=value`) or in the file. **required** settings have no default on purpose; the value
                shown is an example. Profile-specific lines (`%test.…`) are left out.
                Regenerate with `mvn -pl deploy-tests test` and `cp deploy-tests/target/configuration.md docs/`.
                """);
        for (Service service : Service.values()) {
            doc.append("\n## ")
                    .append(service.module)
                    .append("\n\n| setting | default | environment variable | about |\n|---|---|---|---|\n");
            for (Setting s : service.settings().values()) {
                String value = s.value() == null ? "" : "`" + s.value().replace("|", "\\|") + "`";
                String shown = s.required() ? "**required**" + (value.isEmpty() ? "" : ", e.g. " + value) : value;
                doc.append("| `")
                        .append(s.key())
                        .append("` | ")
                        .append(shown)
                        .append(" | `")
                        .append(s.environmentVariable())
                        .append("` | ")
                        .append(s.notes().replace("|", "\\|"))
                        .append(" |\n");
            }
        }
        return doc.toString();
    }

    @Test
    void theCommittedReferenceListsEverySettingAsTheServicesDeclareIt() throws Exception {
        String rendered = render();
        Files.writeString(Path.of("target/configuration.md"), rendered);
        assertTrue(
                Files.exists(COMMITTED),
                "docs/configuration.md is missing: cp deploy-tests/target/configuration.md docs/");
        assertEquals(
                rendered,
                Files.readString(COMMITTED),
                "docs/configuration.md is out of date: review and cp deploy-tests/target/configuration.md docs/");
    }

    @Test
    void theRequiredSettingsAreMarkedRequired() {
        for (var entry : KubernetesManifestsTest.REQUIRED.entrySet()) {
            for (String key : entry.getValue()) {
                Setting setting = entry.getKey().settings().get(key);
                assertTrue(setting != null, entry.getKey().module + " does not document " + key);
                if (!key.equals("distill.auth.key-dir")) {
                    assertTrue(setting.required(), key + " has a default, so deployments need not set it");
                }
            }
        }
    }
}
