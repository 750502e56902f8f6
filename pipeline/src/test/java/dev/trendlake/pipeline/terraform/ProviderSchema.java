package dev.trendlake.pipeline.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The AWS provider's schema for the types terraform/ uses ({@code
 * testdata/terraform/aws-provider-schema.json}, see the README beside it), and a check of one
 * parsed resource or data block against it: every argument and nested block must exist, required
 * arguments must be set, a block the schema allows once (nesting single, or max_items 1) must
 * appear once. hcl4j cannot tell {@code x = {...}} from {@code x {...}}, so a map-valued key is
 * accepted where the schema has either.
 */
final class ProviderSchema {
  /** Terraform's own arguments, valid in every resource and data block. */
  private static final Set<String> META =
      Set.of(
          "count",
          "for_each",
          "depends_on",
          "lifecycle",
          "provider",
          "provisioner",
          "connection",
          "dynamic");

  private final JsonNode root;

  private ProviderSchema(JsonNode root) {
    this.root = root;
  }

  static ProviderSchema load(Path json) throws IOException {
    return new ProviderSchema(new ObjectMapper().readTree(json.toFile()));
  }

  String providerVersion() {
    return root.path("provider_version").asText();
  }

  /**
   * Problems of one block, each naming the place ({@code aws_s3_bucket.this: ...}); empty when it
   * fits the schema.
   */
  List<String> check(String kind, String type, String name, Map<String, Object> body) {
    List<String> problems = new ArrayList<>();
    JsonNode schema =
        root.path("resource".equals(kind) ? "resource_schemas" : "data_source_schemas").path(type);
    String where = ("data".equals(kind) ? "data." : "") + type + "." + name;
    if (schema.isMissingNode()) {
      problems.add(
          where
              + ": "
              + type
              + " is not in testdata/terraform/aws-provider-schema.json: remake it with"
              + " testdata/terraform/make_schema.py (README.md there)");
      return problems;
    }
    checkBlock(where, schema.path("block"), body, true, problems);
    return problems;
  }

  private static void checkBlock(
      String where, JsonNode block, Map<String, Object> body, boolean top, List<String> problems) {
    JsonNode attributes = block.path("attributes");
    JsonNode blocks = block.path("block_types");
    for (Map.Entry<String, Object> e : body.entrySet()) {
      String key = e.getKey();
      if (key.equals("dynamic")) {
        for (Map.Entry<String, Object> d : asMap(e.getValue()).entrySet()) {
          JsonNode nested = blocks.path(d.getKey());
          if (nested.isMissingNode()) {
            problems.add(where + ": dynamic \"" + d.getKey() + "\" is not a block of this type");
            continue;
          }
          for (Map<String, Object> one : asBlocks(d.getValue())) {
            Object content = one.get("content");
            if (content instanceof Map<?, ?>) {
              checkBlock(
                  where + "." + d.getKey(), nested.path("block"), asMap(content), false, problems);
            }
          }
        }
        continue;
      }
      if (top && META.contains(key)) {
        continue;
      }
      if (attributes.has(key)) {
        continue;
      }
      JsonNode nested = blocks.path(key);
      if (nested.isMissingNode()) {
        problems.add(where + ": \"" + key + "\" is neither an argument nor a block of this type");
        continue;
      }
      List<Map<String, Object>> instances = asBlocks(e.getValue());
      boolean once =
          "single".equals(nested.path("nesting_mode").asText())
              || nested.path("max_items").asInt(0) == 1;
      if (once && instances.size() > 1) {
        problems.add(where + ": block \"" + key + "\" may appear once, not " + instances.size());
      }
      for (Map<String, Object> one : instances) {
        checkBlock(where + "." + key, nested.path("block"), one, false, problems);
      }
    }
    attributes
        .fields()
        .forEachRemaining(
            a -> {
              if (a.getValue().path("required").asBoolean(false) && !body.containsKey(a.getKey())) {
                problems.add(where + ": required argument \"" + a.getKey() + "\" is missing");
              }
            });
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    if (o instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    return Map.of();
  }

  private static List<Map<String, Object>> asBlocks(Object o) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      for (Object x : l) {
        out.add(asMap(x));
      }
    } else {
      out.add(asMap(o));
    }
    return out;
  }
}
