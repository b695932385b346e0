package io.distill.model.projects;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.DisallowUnknownJsonMetaSchemaFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import com.networknt.schema.resource.AllowSchemaLoader;
import java.util.Set;

/**
 * JSON Schema (draft 2020-12) for user-supplied definitions, sealed off from the world: nothing a
 * schema says ({@code $ref}, {@code $id}, {@code $schema}, {@code $dynamicRef}) can make it fetch a
 * URL, a file or a class-path resource — only the meta-schemas bundled in the validator's jar load.
 * Patterns run on RE2/J, so a user's {@code pattern} costs linear time on any record.
 */
final class SchemaFactory {
    private static final Set<String> BUNDLED_META_SCHEMAS = Set.of(
            "classpath:draft/2020-12/schema",
            "classpath:draft/2020-12/meta/core",
            "classpath:draft/2020-12/meta/applicator",
            "classpath:draft/2020-12/meta/unevaluated",
            "classpath:draft/2020-12/meta/validation",
            "classpath:draft/2020-12/meta/meta-data",
            "classpath:draft/2020-12/meta/format-annotation",
            "classpath:draft/2020-12/meta/content");

    private static final JsonSchemaFactory SEALED = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaLoaders(loaders ->
                            loaders.add(new AllowSchemaLoader(iri -> BUNDLED_META_SCHEMAS.contains(iri.toString()))))
                    .metaSchemaFactory(DisallowUnknownJsonMetaSchemaFactory.getInstance()));

    // paths as $.field (what job errors have always said)
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.LEGACY)
            .regularExpressionFactory(Re2Patterns.INSTANCE)
            .build();

    /** The draft 2020-12 meta-schema, with regex formats asserted, so an uncompilable pattern is named. */
    private static final JsonSchema META = SEALED.getSchema(
            SchemaLocation.of(SchemaId.V202012),
            SchemaValidatorsConfig.builder()
                    .pathType(PathType.LEGACY)
                    .formatAssertionsEnabled(true)
                    .regularExpressionFactory(Re2Patterns.INSTANCE)
                    .build());

    static {
        META.initializeValidators();
    }

    private SchemaFactory() {}

    /** What the meta-schema says is wrong with a user's schema document (types, ranges, shapes). */
    static Set<ValidationMessage> metaProblems(JsonNode schema) {
        return META.validate(schema);
    }

    /** The compiled schema; throws a runtime exception naming the problem when it cannot be built. */
    static JsonSchema compile(JsonNode schema) {
        JsonSchema compiled = SEALED.getSchema(schema, CONFIG);
        compiled.initializeValidators();
        return compiled;
    }

    /** ECMA-style {@code pattern} semantics (a match anywhere) on RE2/J: linear time, no backtracking. */
    enum Re2Patterns implements RegularExpressionFactory {
        INSTANCE;

        @Override
        public RegularExpression getRegularExpression(String regex) {
            com.google.re2j.Pattern pattern = com.google.re2j.Pattern.compile(regex);
            return value -> pattern.matcher(value).find();
        }
    }
}
