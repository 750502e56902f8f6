package dev.trendlake.pipeline.terraform;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.bertramlabs.plugins.hcl4j.symbols.Symbol;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.pipeline.commit.QuarantineMetrics;
import dev.trendlake.pipeline.config.RunOption;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.Schemas;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Terraform can't run on the build machine, so this test parses {@code terraform/*.tf} with hcl4j
 * and checks what a reviewer would: the resources of every concern exist, buckets are encrypted,
 * private and TLS-only, IAM has no wildcards on data, Redshift is private, variables are typed and
 * described, and the parts that mirror the code (Managed Flink runtime, Glue columns, the
 * quarantine metric) are compared with the code itself, so the two can never drift apart.
 *
 * <p>hcl4j does not evaluate Terraform: a bare reference comes back as a {@link Symbol} whose name
 * is the reference ({@code aws_s3_bucket.lake.arn}), an interpolated string loses its {@code ${}},
 * and a repeated block is a list while a single one is a map. The helpers below smooth that over.
 * Set {@code -Dtrendlake.terraform.dir=...} to check another copy (used to see each assertion
 * fail).
 */
public class TerraformTest {
  private static Path dir;
  private static Path repoRoot;

  /**
   * All files as one module, references kept as written ({@code var.x} stays a reference): the
   * variable blocks are parsed on their own, since hcl4j substitutes the defaults of the variables
   * it has seen.
   */
  private static Map<String, Object> tf;

  /**
   * All files with variables first, so functions of variables ({@code join(",", var.regions)})
   * evaluate.
   */
  private static Map<String, Object> resolved;

  private static Map<String, Object> variables;

  /** The raw text of every .tf file, by file name. */
  private static final Map<String, String> TEXT = new LinkedHashMap<>();

  /** Actions that have no resource-level permissions in IAM, so "*" is their only resource. */
  private static final Set<String> ACTIONS_WITHOUT_RESOURCE_TYPES =
      Set.of(
          "cloudwatch:PutMetricData",
          "elasticmapreduce:RunJobFlow",
          "logs:CreateLogDelivery",
          "logs:GetLogDelivery",
          "logs:UpdateLogDelivery",
          "logs:DeleteLogDelivery",
          "logs:ListLogDeliveries",
          "logs:PutResourcePolicy",
          "logs:DescribeResourcePolicies",
          "logs:DescribeLogGroups");

  @BeforeClass
  public static void parse() throws IOException {
    repoRoot = findRepoRoot();
    String override = System.getProperty("trendlake.terraform.dir");
    dir = override != null ? Paths.get(override) : repoRoot.resolve("terraform");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".tf")).sorted().toList());
    }
    assertTrue("no .tf files in " + dir, !files.isEmpty());
    files.sort((a, b) -> Boolean.compare(!a.endsWith("variables.tf"), !b.endsWith("variables.tf")));
    StringBuilder all = new StringBuilder();
    StringBuilder withoutVariables = new StringBuilder();
    StringBuilder variableBlocks = new StringBuilder();
    for (Path f : files) {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      TEXT.put(f.getFileName().toString(), text);
      Map<String, Object> one = parse(text, f.getFileName().toString());
      (one.containsKey("variable") ? variableBlocks : withoutVariables).append(text).append('\n');
      all.append(text).append('\n');
    }
    tf = parse(withoutVariables.toString(), "terraform/*.tf without variables");
    resolved = parse(all.toString(), "terraform/*.tf");
    variables = parse(variableBlocks.toString(), "the variable blocks");
  }

  private static Map<String, Object> parse(String text, String what) {
    try {
      return new HCLParser().parse(text, false);
    } catch (Exception e) {
      throw new AssertionError(what + " is not valid HCL: " + e.getMessage(), e);
    }
  }

  private static Path findRepoRoot() {
    Path p = Paths.get("").toAbsolutePath();
    while (p != null
        && !(Files.isDirectory(p.resolve("terraform")) && Files.exists(p.resolve("pom.xml")))) {
      p = p.getParent();
    }
    assertNotNull("terraform/ not found above " + Paths.get("").toAbsolutePath(), p);
    return p;
  }

  // ---- resources of every concern ------------------------------------------------------------

  @Test
  public void everyConcernHasItsFileAndResources() {
    for (String f :
        List.of(
            "versions.tf",
            "variables.tf",
            "outputs.tf",
            "s3.tf",
            "iam.tf",
            "emr.tf",
            "managed_flink.tf",
            "redshift.tf",
            "glue_athena.tf",
            "monitoring.tf")) {
      assertTrue("terraform/" + f + " is missing", TEXT.containsKey(f));
    }
    Map<String, List<String>> required = new LinkedHashMap<>();
    required.put("aws_s3_bucket", List.of("bronze", "lake", "artifacts"));
    required.put(
        "aws_iam_role",
        List.of(
            "emr_service",
            "emr_job",
            "managed_flink",
            "redshift_copy",
            "ingestion",
            "batch_workflow",
            "batch_scheduler"));
    required.put("aws_iam_instance_profile", List.of("emr_job"));
    required.put("aws_sfn_state_machine", List.of("batch"));
    required.put("aws_scheduler_schedule", List.of("batch"));
    required.put("aws_kinesisanalyticsv2_application", List.of("trendlake"));
    required.put("aws_redshiftserverless_namespace", List.of("trendlake"));
    required.put("aws_redshiftserverless_workgroup", List.of("trendlake"));
    required.put("aws_glue_catalog_database", List.of("trendlake"));
    required.put(
        "aws_glue_catalog_table",
        List.of(
            "gold_trending", "silver_statistics", "silver_categories", "quarantine_statistics"));
    required.put("aws_athena_workgroup", List.of("trendlake"));
    required.put(
        "aws_athena_named_query",
        List.of("top_categories_by_views", "daily_views_trend", "quarantine_by_reason"));
    required.put("aws_sns_topic", List.of("alarms"));
    required.put("aws_sns_topic_subscription", List.of("alarm_email"));
    required.put(
        "aws_cloudwatch_metric_alarm",
        List.of(
            "batch_failed",
            "managed_flink_downtime",
            "managed_flink_failed_checkpoints",
            "quarantine_ratio"));
    List<String> missing = new ArrayList<>();
    required.forEach(
        (type, names) -> {
          for (String n : names) {
            if (!resources(type).containsKey(n)) {
              missing.add(type + "." + n);
            }
          }
        });
    assertThat("resources missing from terraform/", missing, empty());

    Map<String, Object> aws = map(path(tf, "terraform", "required_providers", "aws"));
    assertEquals("hashicorp/aws", aws.get("source"));
    assertThat("AWS provider 5.x", String.valueOf(aws.get("version")), containsString("~> 5."));
    // the e-mail subscription is optional
    assertThat(
        TEXT.getOrDefault("monitoring.tf", ""),
        containsString("count = var.alarm_email == \"\" ? 0 : 1"));
  }

  // ---- S3 ------------------------------------------------------------------------------------

  @Test
  public void everyBucketIsEncryptedPrivateVersionedAndTlsOnly() {
    assertThat(resources("aws_s3_bucket").keySet(), hasItem("lake"));
    for (String b : resources("aws_s3_bucket").keySet()) {
      String id = "aws_s3_bucket." + b + ".id";
      String arn = "aws_s3_bucket." + b + ".arn";

      Map<String, Object> sse = onlyFor("aws_s3_bucket_server_side_encryption_configuration", id);
      Map<String, Object> byDefault =
          map(path(first(sse.get("rule")), "apply_server_side_encryption_by_default"));
      assertThat(
          b + ": server-side encryption",
          Set.of("aws:kms", "aws:kms:dsse", "AES256")
              .contains(String.valueOf(byDefault.get("sse_algorithm"))),
          is(true));

      Map<String, Object> pab = onlyFor("aws_s3_bucket_public_access_block", id);
      for (String flag :
          List.of(
              "block_public_acls",
              "block_public_policy",
              "ignore_public_acls",
              "restrict_public_buckets")) {
        assertEquals(b + ": public access block " + flag, Boolean.TRUE, pab.get(flag));
      }

      Map<String, Object> versioning = onlyFor("aws_s3_bucket_versioning", id);
      assertEquals(
          b + ": versioning", "Enabled", path(versioning, "versioning_configuration", "status"));

      assertNotNull(b + ": lifecycle rules", onlyFor("aws_s3_bucket_lifecycle_configuration", id));

      Map<String, Object> policy = onlyFor("aws_s3_bucket_policy", id);
      Map<String, Object> doc =
          policyDocument(policy.get("policy"), "aws_s3_bucket_policy for " + b);
      boolean tlsOnly = false;
      for (Map<String, Object> st : blocks(doc.get("statement"))) {
        List<String> resources = strings(st.get("resources"));
        boolean denyAll =
            "Deny".equals(st.get("effect"))
                && strings(st.get("actions")).contains("s3:*")
                && resources.contains(arn)
                && resources.contains(arn + "/*")
                && blocks(st.get("principals")).stream()
                    .anyMatch(p -> strings(p.get("identifiers")).contains("*"));
        boolean onPlainHttp =
            blocks(st.get("condition")).stream()
                .anyMatch(
                    c ->
                        "Bool".equals(c.get("test"))
                            && "aws:SecureTransport".equals(c.get("variable"))
                            && strings(c.get("values")).equals(List.of("false")));
        tlsOnly |= denyAll && onPlainHttp;
      }
      assertTrue(
          b + ": the bucket policy must deny every request with aws:SecureTransport=false",
          tlsOnly);
    }
  }

  @Test
  public void lifecycleArchivesBronzeAndExpiresQuarantineAndAthenaResults() {
    List<Map<String, Object>> bronze = rules("bronze");
    assertTrue(
        "bronze moves to the archive class after N days (both variables)",
        bronze.stream()
            .filter(r -> "Enabled".equals(r.get("status")))
            .flatMap(r -> blocks(r.get("transition")).stream())
            .anyMatch(
                t ->
                    "var.bronze_archive_storage_class".equals(ref(t.get("storage_class")))
                        && "var.bronze_archive_after_days".equals(ref(t.get("days")))));

    assertTrue("quarantine/ expires", expires(rules("lake"), OutputPaths.QUARANTINE + "/"));
    assertTrue("_staging/ leftovers expire", expires(rules("lake"), OutputPaths.STAGING + "/"));
    assertTrue("Athena results expire", expires(rules("artifacts"), "athena-results/"));

    Map<String, Object> wg = map(resources("aws_athena_workgroup").get("trendlake"));
    Map<String, Object> conf = map(wg.get("configuration"));
    assertEquals(
        "Athena workgroup settings are enforced",
        Boolean.TRUE,
        conf.get("enforce_workgroup_configuration"));
    Map<String, Object> results = map(conf.get("result_configuration"));
    assertThat(String.valueOf(results.get("output_location")), containsString("/athena-results/"));
    assertThat(
        "Athena results are encrypted",
        String.valueOf(path(results, "encryption_configuration", "encryption_option")),
        is("SSE_KMS"));
  }

  private static List<Map<String, Object>> rules(String bucket) {
    return blocks(
        onlyFor("aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket." + bucket + ".id")
            .get("rule"));
  }

  private static boolean expires(List<Map<String, Object>> rules, String prefix) {
    return rules.stream()
        .anyMatch(
            r ->
                "Enabled".equals(r.get("status"))
                    && prefix.equals(
                        r.get("filter") instanceof Map<?, ?> f ? f.get("prefix") : null)
                    && r.get("expiration") instanceof Map<?, ?> e
                    && e.get("days") != null);
  }

  // ---- IAM -----------------------------------------------------------------------------------

  @Test
  public void everyPolicyIsAnInspectablePolicyDocument() {
    List<String> opaque = new ArrayList<>();
    for (String type :
        List.of(
            "aws_iam_policy",
            "aws_iam_role_policy",
            "aws_s3_bucket_policy",
            "aws_sns_topic_policy")) {
      resources(type)
          .forEach((n, r) -> checkDocRef(opaque, type + "." + n + ".policy", map(r).get("policy")));
    }
    resources("aws_iam_role")
        .forEach(
            (n, r) -> checkDocRef(opaque, "aws_iam_role." + n, map(r).get("assume_role_policy")));
    assertThat(
        "policies must be data.aws_iam_policy_document (so this test can read them)",
        opaque,
        empty());

    Set<String> withPolicy = new TreeSet<>();
    for (String type : List.of("aws_iam_role_policy", "aws_iam_role_policy_attachment")) {
      for (Object r : resources(type).values()) {
        withPolicy.add(ref(map(r).get("role")).replaceAll("\\.(name|id)$", ""));
      }
    }
    for (String role : resources("aws_iam_role").keySet()) {
      assertThat("role " + role + " has a policy", withPolicy, hasItem("aws_iam_role." + role));
    }
  }

  private static void checkDocRef(List<String> opaque, String where, Object policy) {
    String r = ref(policy);
    if (r == null
        || !r.matches("data\\.aws_iam_policy_document\\.[a-z0-9_]+\\.json")
        || !documents().containsKey(r.split("\\.")[2])) {
      opaque.add(where + " = " + r);
    }
  }

  @Test
  public void noIamStatementHasAWildcardActionOrAWildcardResourceOnData() {
    Set<String> ourBuckets = resources("aws_s3_bucket").keySet();
    List<String> problems = new ArrayList<>();
    assertThat(
        documents().keySet(),
        hasItems("job_data", "redshift_copy", "ingestion", "managed_flink_app"));
    documents()
        .forEach(
            (name, d) -> {
              Map<String, Object> doc = map(d);
              if (doc.containsKey("dynamic")) {
                problems.add(name + ": dynamic statements can't be checked");
              }
              for (Map<String, Object> st : blocks(doc.get("statement"))) {
                String where = name + (st.get("sid") != null ? "/" + st.get("sid") : "");
                if ("Deny".equals(st.get("effect"))) {
                  continue; // a deny may be broad: "deny s3:* on plain HTTP" is the point
                }
                if (st.containsKey("not_actions") || st.containsKey("not_resources")) {
                  problems.add(where + ": Allow with not_actions/not_resources");
                }
                List<String> actions = strings(st.get("actions"));
                if (actions.isEmpty() && !st.containsKey("principals")) {
                  problems.add(where + ": no actions");
                }
                for (String a : actions) {
                  if (a.contains("*")) {
                    problems.add(where + ": wildcard action " + a);
                  }
                }
                for (String r : strings(st.get("resources"))) {
                  if (r.equals("*") || r.matches("arn:[^:]*:s3:::\\*.*")) {
                    for (String a : actions) {
                      if (!ACTIONS_WITHOUT_RESOURCE_TYPES.contains(a)) {
                        problems.add(where + ": " + a + " on resource " + r);
                      }
                    }
                  }
                  for (String b : ourBuckets) {
                    if (r.equals("aws_s3_bucket." + b + ".arn/*")
                        || r.equals("aws_s3_bucket." + b + ".arn/")) {
                      problems.add(
                          where
                              + ": every object of bucket "
                              + b
                              + " ("
                              + r
                              + "): name the prefixes");
                    }
                  }
                }
              }
            });
    assertThat(problems, empty());
  }

  @Test
  public void eachRoleReachesOnlyItsPrefixes() {
    assertEquals(
        Set.of(
            "aws_s3_bucket.bronze.arn/raw_statistics/*",
            "aws_s3_bucket.bronze.arn/raw_statistics_reference_data/*",
            "aws_s3_bucket.lake.arn/silver/*",
            "aws_s3_bucket.lake.arn/gold/*",
            "aws_s3_bucket.lake.arn/quarantine/*",
            "aws_s3_bucket.lake.arn/_manifests/*",
            "aws_s3_bucket.lake.arn/_staging/*"),
        objectResources("job_data"));
    assertEquals(
        Set.of("aws_s3_bucket.lake.arn/silver/*", "aws_s3_bucket.lake.arn/gold/*"),
        objectResources("redshift_copy"));
    assertEquals(
        Set.of(
            "aws_s3_bucket.bronze.arn/raw_statistics/*",
            "aws_s3_bucket.bronze.arn/raw_statistics_reference_data/*"),
        objectResources("ingestion"));
    for (String doc : List.of("redshift_copy", "ingestion")) {
      for (Map<String, Object> st : blocks(map(documents().get(doc)).get("statement"))) {
        assertThat(
            doc + " never deletes",
            strings(st.get("actions")),
            org.hamcrest.Matchers.not(hasItem("s3:DeleteObject")));
      }
    }
  }

  private static Set<String> objectResources(String doc) {
    Set<String> out = new TreeSet<>();
    for (Map<String, Object> st : blocks(map(documents().get(doc)).get("statement"))) {
      for (String r : strings(st.get("resources"))) {
        if (r.startsWith("aws_s3_bucket.") && r.contains(".arn/")) {
          out.add(r);
        }
      }
    }
    return out;
  }

  // ---- Redshift ------------------------------------------------------------------------------

  @Test
  public void redshiftIsPrivateWithAManagedPasswordAndTheCopyRole() {
    Map<String, Object> wg = map(resources("aws_redshiftserverless_workgroup").get("trendlake"));
    assertEquals(
        "Redshift must not be publicly accessible", Boolean.FALSE, wg.get("publicly_accessible"));
    assertEquals("var.private_subnet_ids", ref(wg.get("subnet_ids")));
    Map<String, Object> ns = map(resources("aws_redshiftserverless_namespace").get("trendlake"));
    assertEquals(
        "admin password managed by Secrets Manager", Boolean.TRUE, ns.get("manage_admin_password"));
    assertTrue("no admin password in Terraform", !ns.containsKey("admin_user_password"));
    assertThat(strings(ns.get("iam_roles")), hasItem("aws_iam_role.redshift_copy.arn"));
    for (Object rule : resources("aws_vpc_security_group_ingress_rule").values()) {
      assertThat(
          "nothing is open to the internet",
          String.valueOf(map(rule).get("cidr_ipv4")),
          org.hamcrest.Matchers.not(is("0.0.0.0/0")));
    }
  }

  // ---- variables -----------------------------------------------------------------------------

  @Test
  public void everyVariableHasATypeAndADescriptionAndIsDeclared() throws IOException {
    Map<String, Object> vars = map(variables.get("variable"));
    assertThat(vars.keySet(), hasItems("aws_region", "private_subnet_ids", "metrics_namespace"));
    List<String> problems = new ArrayList<>();
    vars.forEach(
        (n, v) -> {
          Map<String, Object> var = map(v);
          if (var.get("type") == null) {
            problems.add(n + ": no type");
          }
          if (!(var.get("description") instanceof String d) || d.isBlank()) {
            problems.add(n + ": no description");
          }
        });
    Matcher m = Pattern.compile("\\bvar\\.([a-z0-9_]+)").matcher(String.join("\n", TEXT.values()));
    while (m.find()) {
      if (!vars.containsKey(m.group(1))) {
        problems.add("var." + m.group(1) + " is used but not declared");
      }
    }
    Path example = dir.resolve("example.tfvars");
    assertTrue("terraform/example.tfvars is missing", Files.exists(example));
    Map<String, Object> values;
    try {
      values = new HCLParser().parse(Files.readString(example), false);
    } catch (Exception e) {
      throw new AssertionError("example.tfvars is not valid HCL: " + e.getMessage(), e);
    }
    for (String k : values.keySet()) {
      if (!vars.containsKey(k)) {
        problems.add("example.tfvars sets " + k + ", which is not a variable");
      }
    }
    vars.forEach(
        (n, v) -> {
          if (!map(v).containsKey("default") && !values.containsKey(n)) {
            problems.add(n + " has no default and is missing from example.tfvars");
          }
        });
    assertThat(problems, empty());
  }

  // ---- what mirrors the code -----------------------------------------------------------------

  @Test
  public void managedFlinkRuntimeMatchesTheFlinkVersionOfTheBuild() throws IOException {
    String pom = Files.readString(repoRoot.resolve("pom.xml"));
    Matcher m =
        Pattern.compile("<flink\\.version>(\\d+)\\.(\\d+)\\.\\d+</flink\\.version>").matcher(pom);
    assertTrue("flink.version not found in pom.xml", m.find());
    String expected = "FLINK-" + m.group(1) + "_" + m.group(2);

    Map<String, Object> app = map(resources("aws_kinesisanalyticsv2_application").get("trendlake"));
    assertEquals(
        "Managed Flink runtime vs the build's Flink", expected, app.get("runtime_environment"));

    Map<String, Object> conf = map(app.get("application_configuration"));
    Map<String, Object> s3 =
        map(path(conf, "application_code_configuration", "code_content", "s3_content_location"));
    assertEquals(
        "code comes from the artifacts bucket",
        "aws_s3_bucket.artifacts.arn",
        ref(s3.get("bucket_arn")));
    Map<String, Object> flink = map(conf.get("flink_application_configuration"));
    assertEquals(Boolean.TRUE, path(flink, "checkpoint_configuration", "checkpointing_enabled"));
    assertEquals("CUSTOM", path(flink, "checkpoint_configuration", "configuration_type"));
    assertEquals(
        "var.managed_flink_parallelism",
        ref(path(flink, "parallelism_configuration", "parallelism")));
    assertEquals(
        "var.managed_flink_parallelism_per_kpu",
        ref(path(flink, "parallelism_configuration", "parallelism_per_kpu")));
    assertEquals(
        "aws_cloudwatch_log_stream.managed_flink.arn",
        ref(path(app, "cloudwatch_logging_options", "log_stream_arn")));

    Map<String, Object> group = map(path(conf, "environment_properties", "property_group"));
    assertEquals("TrendlakeOptions", group.get("property_group_id"));
    Set<String> options = new TreeSet<>(RunOption.names());
    options.addAll(optionNames(AwsOptions.class));
    options.add("parallelism"); // FlinkPipelineOptions, in the runners module
    Map<String, Object> props = map(group.get("property_map"));
    assertThat(props.keySet(), hasItems("input", "output", "cloudWatchNamespace"));
    for (String k : props.keySet()) {
      assertThat("property " + k + " is not a pipeline option", options, hasItem(k));
    }
    assertEquals("var.metrics_namespace", ref(props.get("cloudWatchNamespace")));
  }

  private static Set<String> optionNames(Class<?> options) {
    Set<String> out = new TreeSet<>();
    for (Method method : options.getMethods()) {
      String n = method.getName();
      if (n.startsWith("get") && n.length() > 3 && method.getParameterCount() == 0) {
        out.add(Character.toLowerCase(n.charAt(3)) + n.substring(4));
      }
    }
    return out;
  }

  @Test
  public void glueTablesMatchTheParquetSchemasTheJobWrites() {
    checkTable("gold_trending", Schemas.GOLD, OutputPaths.GOLD_TRENDING, true);
    checkTable("silver_statistics", Schemas.SILVER_STATISTICS, OutputPaths.SILVER_STATISTICS, true);
    checkTable(
        "silver_categories", Schemas.SILVER_CATEGORIES, OutputPaths.SILVER_CATEGORIES, false);
    Map<String, Object> q = map(resources("aws_glue_catalog_table").get("quarantine_statistics"));
    // The fields WriteQuarantine writes per record (its Javadoc), raw_base64 only for invalid
    // UTF-8.
    assertEquals(
        List.of(
            "source_file:string",
            "line:bigint",
            "reason:string",
            "detail:string",
            "raw:string",
            "raw_base64:string"),
        columns(q));
    assertEquals(
        "org.openx.data.jsonserde.JsonSerDe",
        path(q, "storage_descriptor", "ser_de_info", "serialization_library"));
    assertThat(
        ref(path(q, "storage_descriptor", "location")),
        containsString("/" + OutputPaths.QUARANTINE + "/statistics/"));
    assertThat(
        "quarantine also has records without a region",
        String.valueOf(resolvedParameters("quarantine_statistics").get("projection.region.values")),
        containsString("unknown"));
  }

  private static void checkTable(String name, Schema schema, String prefix, boolean byDate) {
    Map<String, Object> t = map(resources("aws_glue_catalog_table").get(name));
    assertNotNull("table " + name, t);
    List<String> expected = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      expected.add(f.name() + ":" + hiveType(f.schema()));
    }
    assertEquals(name + " columns vs " + schema.getName(), expected, columns(t));

    Map<String, Object> sd = map(t.get("storage_descriptor"));
    assertEquals(
        name,
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        path(sd, "ser_de_info", "serialization_library"));
    assertEquals(
        name,
        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        sd.get("input_format"));
    assertThat(name + " location", ref(sd.get("location")), containsString("/" + prefix + "/"));

    List<String> keys = new ArrayList<>();
    for (Map<String, Object> k : blocks(t.get("partition_keys"))) {
      keys.add(k.get("name") + ":" + k.get("type"));
    }
    assertEquals(
        name + " partitions",
        byDate ? List.of("region:string", "trending_date:date") : List.of("region:string"),
        keys);

    Map<String, Object> p = map(t.get("parameters"));
    assertEquals(name, "true", p.get("projection.enabled"));
    assertEquals(name + ": region is an enum", "enum", p.get("projection.region.type"));
    List<String> regions =
        strings(map(map(variables.get("variable")).get("regions")).get("default"));
    assertThat(name, TEXT.get("glue_athena.tf"), containsString("\"projection.region.values\""));
    assertEquals(
        name + ": the enum lists var.regions",
        String.join(",", regions),
        resolvedParameters(name).get("projection.region.values"));
    String template = String.valueOf(p.get("storage.location.template")).replace("$${", "${");
    if (byDate) {
      assertEquals(
          name + ": trending_date is a date range", "date", p.get("projection.trending_date.type"));
      assertEquals(name, "yyyy-MM-dd", p.get("projection.trending_date.format"));
      assertThat(
          name,
          String.valueOf(p.get("projection.trending_date.range")),
          org.hamcrest.Matchers.endsWith(",NOW"));
      assertThat(
          template,
          org.hamcrest.Matchers.endsWith(
              "/" + prefix + "/region=${region}/trending_date=${trending_date}"));
    } else {
      assertThat(template, org.hamcrest.Matchers.endsWith("/" + prefix + "/region=${region}"));
    }
  }

  /** A table's parameters with functions of variables evaluated. */
  private static Map<String, Object> resolvedParameters(String table) {
    Object t = map(map(resolved.get("resource")).get("aws_glue_catalog_table")).get(table);
    return map(map(t).get("parameters"));
  }

  private static List<String> columns(Map<String, Object> table) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> c : blocks(map(table.get("storage_descriptor")).get("columns"))) {
      out.add(c.get("name") + ":" + c.get("type"));
    }
    return out;
  }

  /** Avro (as written to Parquet) to the Hive/Athena type that reads it. */
  static String hiveType(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      List<Schema> nonNull =
          s.getTypes().stream().filter(x -> x.getType() != Schema.Type.NULL).toList();
      assertEquals("only [null, T] unions map to a column", 1, nonNull.size());
      return hiveType(nonNull.get(0));
    }
    LogicalType lt = s.getLogicalType();
    if (lt instanceof LogicalTypes.TimestampMicros || lt instanceof LogicalTypes.TimestampMillis) {
      return "timestamp";
    }
    if (lt instanceof LogicalTypes.Date) {
      return "date";
    }
    return switch (s.getType()) {
      case STRING -> "string";
      case LONG -> "bigint";
      case INT -> "int";
      case BOOLEAN -> "boolean";
      case DOUBLE -> "double";
      case FLOAT -> "float";
      case ARRAY -> "array<" + hiveType(s.getElementType()) + ">";
      default -> throw new AssertionError("no Hive type for Avro " + s);
    };
  }

  @Test
  public void quarantineAlarmWatchesTheMetricTheJobPublishes() {
    String option = "cloudWatchNamespace";
    assertThat("the job's option", RunOption.names(), hasItem(option));

    Map<String, Object> alarm =
        map(resources("aws_cloudwatch_metric_alarm").get("quarantine_ratio"));
    assertEquals("var.metrics_namespace", ref(alarm.get("namespace")));
    assertEquals(QuarantineMetrics.RATIO, alarm.get("metric_name"));
    assertEquals(Set.of(QuarantineMetrics.REGION), map(alarm.get("dimensions")).keySet());
    assertEquals("var.quarantine_ratio_threshold", ref(alarm.get("threshold")));
    assertThat(strings(alarm.get("alarm_actions")), hasItem("aws_sns_topic.alarms.arn"));
    assertThat(
        "an alarm on all regions together",
        TEXT.getOrDefault("monitoring.tf", ""),
        containsString(
            "for_each = toset(concat([\"" + QuarantineMetrics.ALL_REGIONS + "\"], var.regions))"));
    assertThat(
        "the EMR step publishes to the alarm's namespace",
        TEXT.getOrDefault("emr.tf", ""),
        containsString("\"--" + option + "=${var.metrics_namespace}\""));
  }

  @Test
  public void otherAlarmsWatchTheBatchAndTheFlinkApplication() {
    Map<String, Object> failed = map(resources("aws_cloudwatch_metric_alarm").get("batch_failed"));
    assertEquals("AWS/States", failed.get("namespace"));
    assertEquals("ExecutionsFailed", failed.get("metric_name"));
    assertEquals(
        "aws_sfn_state_machine.batch.arn",
        ref(map(failed.get("dimensions")).get("StateMachineArn")));
    Map<String, Object> down =
        map(resources("aws_cloudwatch_metric_alarm").get("managed_flink_downtime"));
    assertEquals("AWS/KinesisAnalytics", down.get("namespace"));
    assertEquals("downtime", down.get("metric_name"));
    Map<String, Object> cp =
        map(resources("aws_cloudwatch_metric_alarm").get("managed_flink_failed_checkpoints"));
    assertEquals("numberOfFailedCheckpoints", cp.get("metric_name"));
    for (Object a : resources("aws_cloudwatch_metric_alarm").values()) {
      assertThat(strings(map(a).get("alarm_actions")), hasItem("aws_sns_topic.alarms.arn"));
    }
  }

  @Test
  public void batchWorkflowRunsTheJarOnATransientClusterAndAlwaysTerminatesIt() throws IOException {
    Map<String, Object> sm = map(resources("aws_sfn_state_machine").get("batch"));
    assertTrue("the definition must be jsonencode({...})", sm.get("definition") instanceof String);
    JsonNode def = new ObjectMapper().readTree((String) sm.get("definition"));
    JsonNode states = def.path("States");
    Map<String, String> resourceOf = new LinkedHashMap<>();
    states
        .fields()
        .forEachRemaining(e -> resourceOf.put(e.getKey(), e.getValue().path("Resource").asText()));
    String start = def.path("StartAt").asText();
    assertThat(
        resourceOf.get(start),
        org.hamcrest.Matchers.endsWith(":elasticmapreduce:createCluster.sync"));
    JsonNode create = states.path(start).path("Parameters");
    assertThat(create.path("ReleaseLabel").toString(), containsString("var.emr_release_label"));
    assertEquals("Flink", create.path("Applications").path(0).path("Name").asText());
    JsonNode flinkConf = create.path("Configurations").path(0);
    assertEquals("flink-conf", flinkConf.path("Classification").asText());
    assertEquals(
        "the adaptive batch scheduler would read the files with parallelism 1",
        "false",
        flinkConf
            .path("Properties")
            .path("execution.batch.adaptive.auto-parallelism.enabled")
            .asText());

    String run = states.path(start).path("Next").asText();
    assertThat(
        resourceOf.get(run), org.hamcrest.Matchers.endsWith(":elasticmapreduce:addStep.sync"));
    String onFailure = states.path(run).path("Catch").path(0).path("Next").asText();
    assertThat(
        "a failed step still terminates the cluster",
        resourceOf.get(onFailure),
        containsString("terminateCluster"));
    String onSuccess = states.path(run).path("Next").asText();
    assertThat(resourceOf.get(onSuccess), containsString("terminateCluster"));
    assertThat(
        resourceOf.get(states.path(onFailure).path("Next").asText()),
        containsString(":sns:publish"));

    String command = null;
    for (Map<String, Object> l : blocks(tf.get("locals"))) {
      if (l.get("emr_step_command") instanceof String c) {
        command = c;
      }
    }
    assertNotNull("local.emr_step_command", command);
    for (String part :
        List.of(
            "flink run -m yarn-cluster /home/hadoop/trendlake-bundled.jar run --runner=FlinkRunner"
                + " ",
            " --input=s3://",
            " --output=s3://",
            " --cloudWatchNamespace=")) {
      assertThat("the EMR step runs the job", command, containsString(part));
    }
    Map<String, Object> schedule = map(resources("aws_scheduler_schedule").get("batch"));
    assertEquals("aws_sfn_state_machine.batch.arn", ref(map(schedule.get("target")).get("arn")));
  }

  // ---- helpers over hcl4j's model ------------------------------------------------------------

  private static Map<String, Object> section(String name) {
    Object s = tf.get(name);
    return s == null ? Collections.emptyMap() : map(s);
  }

  private static Map<String, Object> resources(String type) {
    Object r = section("resource").get(type);
    return r == null ? Collections.emptyMap() : map(r);
  }

  private static Map<String, Object> documents() {
    Object d = section("data").get("aws_iam_policy_document");
    return d == null ? Collections.emptyMap() : map(d);
  }

  /**
   * The one resource of {@code type} whose {@code bucket} is {@code bucketRef}; fails if none or
   * several.
   */
  private static Map<String, Object> onlyFor(String type, String bucketRef) {
    List<Map<String, Object>> found = new ArrayList<>();
    for (Object r : resources(type).values()) {
      if (bucketRef.equals(ref(map(r).get("bucket")))) {
        found.add(map(r));
      }
    }
    if (found.size() != 1) {
      fail(found.size() + " " + type + " for " + bucketRef + " (want exactly one)");
    }
    return found.get(0);
  }

  private static Map<String, Object> policyDocument(Object policyRef, String where) {
    String r = ref(policyRef);
    assertTrue(
        where + ": policy must be data.aws_iam_policy_document.<name>.json, not " + r,
        r != null && r.matches("data\\.aws_iam_policy_document\\.[a-z0-9_]+\\.json"));
    Object doc = documents().get(r.split("\\.")[2]);
    assertNotNull(where + ": " + r + " is not defined", doc);
    return map(doc);
  }

  /** A reference or a string as text: {@code aws_s3_bucket.lake.arn}, or the string itself. */
  static String ref(Object o) {
    if (o instanceof Symbol s) {
      return s.getName();
    }
    return o == null ? null : String.valueOf(o);
  }

  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      for (Object x : l) {
        out.add(ref(x));
      }
    } else if (o != null) {
      out.add(ref(o));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    if (o instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new AssertionError("expected a block, got " + ref(o));
  }

  /** A block that may appear once (a map) or several times (a list of maps). */
  private static List<Map<String, Object>> blocks(Object o) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      for (Object x : l) {
        out.add(map(x));
      }
    } else if (o != null) {
      out.add(map(o));
    }
    return out;
  }

  private static Map<String, Object> first(Object o) {
    List<Map<String, Object>> b = blocks(o);
    assertTrue("expected a block", !b.isEmpty());
    return b.get(0);
  }

  private static Object path(Map<String, Object> m, String... keys) {
    Object cur = m;
    for (String k : keys) {
      if (cur instanceof List<?> l && l.size() == 1) {
        cur = l.get(0);
      }
      if (!(cur instanceof Map<?, ?> mm)) {
        fail("no " + String.join(".", keys) + " (stopped at " + k + ")");
        return null;
      }
      cur = mm.get(k);
    }
    return cur;
  }
}
