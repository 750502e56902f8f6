package dev.trendlake.pipeline.terraform;

import static dev.trendlake.testkit.iam.TerraformIam.blocks;
import static dev.trendlake.testkit.iam.TerraformIam.map;
import static dev.trendlake.testkit.iam.TerraformIam.ref;
import static dev.trendlake.testkit.iam.TerraformIam.strings;
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
import dev.trendlake.pipeline.commit.CommitMetrics;
import dev.trendlake.pipeline.commit.QuarantineMetrics;
import dev.trendlake.pipeline.config.RunOption;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.Schemas;
import dev.trendlake.pipeline.quality.QualityMetrics;
import dev.trendlake.testkit.iam.Iam;
import dev.trendlake.testkit.iam.Iam.Request;
import dev.trendlake.testkit.iam.Iam.Statement;
import dev.trendlake.testkit.iam.TerraformIam;
import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.RowSchema;
import dev.trendlake.transforms.row.ValueType;
import dev.trendlake.transforms.tmdb.ShowFiles;
import dev.trendlake.transforms.tmdb.TmdbDataset;
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
 * and checks what a reviewer would: every argument exists in the pinned provider's schema, the
 * files are as {@code terraform fmt} leaves them, buckets are encrypted, private and TLS-only, IAM
 * has no wildcards on data and allows the job's own requests, every component reaches what it
 * needs, the scheduled flow ingests, runs and always terminates its cluster, Redshift is private
 * and loaded with the options the job needs, and the parts that mirror the code (Managed Flink
 * runtime, Glue columns, the quarantine metric, the job's options) are compared with the code
 * itself, so the two can never drift apart.
 *
 * <p>hcl4j does not evaluate Terraform: a bare reference comes back as a {@link Symbol} whose name
 * is the reference ({@code aws_s3_bucket.lake.arn}), an interpolated string loses its {@code ${}},
 * and a repeated block is a list while a single one is a map; it does not evaluate for expressions
 * or most functions, so tables that matter are literal locals, and where an expression is the point
 * the test reads the text. The helpers below smooth that over. Set {@code
 * -Dtrendlake.terraform.dir=...} to check another copy (used to see each assertion fail).
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

  /** Every {@code locals} block together, as hcl4j reads them (literal tables come out whole). */
  private static Map<String, Object> locals;

  private static ProviderSchema schema;
  private static TerraformIam iam;

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
          "logs:DescribeLogGroups",
          "ec2:DescribeVpcs",
          "ec2:DescribeSubnets",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeDhcpOptions",
          "ec2:DescribeNetworkInterfaces");

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
    locals = new LinkedHashMap<>();
    for (Map<String, Object> l : blocks(tf.get("locals"))) {
      locals.putAll(l);
    }
    schema = ProviderSchema.load(repoRoot.resolve("testdata/terraform/aws-provider-schema.json"));
    iam = TerraformIam.load(dir);
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

  // ---- layout, provider, schema, format -------------------------------------------------------

  @Test
  public void everyConcernHasItsFileAndResources() {
    for (String f :
        List.of(
            "versions.tf",
            "variables.tf",
            "outputs.tf",
            "s3.tf",
            "iam.tf",
            "network.tf",
            "ingest.tf",
            "emr.tf",
            "managed_flink.tf",
            "redshift.tf",
            "glue_athena.tf",
            "monitoring.tf")) {
      assertTrue("terraform/" + f + " is missing", TEXT.containsKey(f));
    }
    Map<String, List<String>> required = new LinkedHashMap<>();
    required.put("aws_s3_bucket", List.of("this"));
    required.put("aws_iam_role", List.of("this", "ingestion"));
    required.put("aws_iam_instance_profile", List.of("emr_job"));
    required.put("aws_emr_security_configuration", List.of("batch"));
    required.put("aws_sfn_state_machine", List.of("batch"));
    required.put("aws_scheduler_schedule", List.of("batch", "ingest"));
    required.put("aws_ecs_task_definition", List.of("ingest"));
    required.put("aws_secretsmanager_secret", List.of("youtube_api_key"));
    required.put("aws_kinesisanalyticsv2_application", List.of("trendlake"));
    required.put("aws_redshiftserverless_namespace", List.of("trendlake"));
    required.put("aws_redshiftserverless_workgroup", List.of("trendlake"));
    required.put("aws_vpc_endpoint", List.of("interface"));
    required.put("aws_glue_catalog_database", List.of("trendlake"));
    required.put("aws_glue_catalog_table", List.of("this"));
    required.put("aws_athena_workgroup", List.of("trendlake"));
    required.put("aws_athena_named_query", List.of("this"));
    required.put("aws_sns_topic", List.of("alarms"));
    required.put("aws_sns_topic_subscription", List.of("alarm_email"));
    required.put("aws_cloudwatch_metric_alarm", List.of("this"));
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
    assertThat(
        "roles",
        map(locals.get("roles")).keySet(),
        hasItems(
            "emr_service",
            "emr_job",
            "managed_flink",
            "redshift_copy",
            "ingest",
            "ingest_execution",
            "batch_workflow",
            "batch_scheduler"));
    assertThat(
        TEXT.getOrDefault("monitoring.tf", ""),
        containsString("count = var.alarm_email == \"\" ? 0 : 1"));
  }

  /**
   * The provider's lower bound must be the version whose schema testdata/ holds (every argument is
   * checked against it), so no older provider, one that may lack an argument or refuse FLINK-1_19,
   * can be chosen.
   */
  @Test
  public void providerVersionStartsAtTheCheckedSchema() {
    Map<String, Object> aws = map(path(tf, "terraform", "required_providers", "aws"));
    assertEquals("hashicorp/aws", aws.get("source"));
    String constraint = String.valueOf(aws.get("version"));
    Matcher lower = Pattern.compile(">=\\s*([0-9.]+)").matcher(constraint);
    assertTrue("versions.tf: the AWS provider needs a '>= x.y.z' lower bound", lower.find());
    assertEquals(
        "versions.tf: the provider's lower bound must be the schema's version"
            + " (testdata/terraform/aws-provider-schema.json)",
        schema.providerVersion(),
        lower.group(1));
    assertThat("AWS provider 5.x only", constraint, containsString("< 6.0.0"));
  }

  @Test
  public void everyArgumentAndBlockIsInTheProviderSchema() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (String kind : List.of("resource", "data")) {
      for (Map.Entry<String, Object> type : section(kind).entrySet()) {
        for (Map.Entry<String, Object> r : map(type.getValue()).entrySet()) {
          problems.addAll(schema.check(kind, type.getKey(), r.getKey(), map(r.getValue())));
          checked++;
        }
      }
    }
    assertThat("blocks checked", checked, org.hamcrest.Matchers.greaterThan(40));
    assertThat(
        "arguments and blocks that hashicorp/aws " + schema.providerVersion() + " does not have",
        problems,
        empty());
  }

  @Test
  public void everyFileIsFormattedAsTerraformFmtWouldFormatIt() {
    List<String> problems = new ArrayList<>();
    TEXT.forEach((file, text) -> problems.addAll(TerraformFormat.problems(file, text)));
    assertThat("terraform fmt would change these lines", problems, empty());
  }

  /** The for_each/count conversion moved state: every target exists, no source still does. */
  @Test
  public void movedBlocksPointAtResourcesThatExist() throws IOException {
    JsonNode moved =
        new ObjectMapper().readTree(dir.resolve("moved.tf.json").toFile()).path("moved");
    assertTrue("terraform/moved.tf.json has no moved blocks", moved.size() > 0);
    List<String> problems = new ArrayList<>();
    Pattern address = Pattern.compile("([a-z0-9_]+)\\.([a-z0-9_]+)(\\[.*])?");
    for (JsonNode m : moved) {
      Matcher from = address.matcher(m.path("from").asText());
      Matcher to = address.matcher(m.path("to").asText());
      if (!from.matches() || !to.matches()) {
        problems.add("not a resource address: " + m);
        continue;
      }
      if (!resources(to.group(1)).containsKey(to.group(2))) {
        problems.add(m.path("to").asText() + " is not a resource in terraform/");
      }
      boolean sameResource = from.group(1).equals(to.group(1)) && from.group(2).equals(to.group(2));
      if (!sameResource && resources(from.group(1)).containsKey(from.group(2))) {
        problems.add(m.path("from").asText() + " still exists: nothing to move");
      }
    }
    assertThat(problems, empty());
  }

  // ---- S3 ------------------------------------------------------------------------------------

  @Test
  public void everyBucketIsEncryptedPrivateVersionedAndTlsOnly() {
    assertEquals(
        "the three buckets",
        Set.of("bronze", "lake", "artifacts"),
        map(locals.get("bucket_names")).keySet());
    assertEquals(
        "local.bucket_names",
        TEXT.get("s3.tf").contains("for_each = local.bucket_names") ? "local.bucket_names" : "");
    for (String type :
        List.of(
            "aws_s3_bucket_ownership_controls",
            "aws_s3_bucket_public_access_block",
            "aws_s3_bucket_server_side_encryption_configuration",
            "aws_s3_bucket_versioning",
            "aws_s3_bucket_policy",
            "aws_s3_bucket_lifecycle_configuration")) {
      Map<String, Object> r = map(resources(type).get("this"));
      assertNotNull(type + ".this", r);
      assertEquals(type + " for every bucket", "aws_s3_bucket.this", ref(r.get("for_each")));
      assertEquals(type, "each.value.id", ref(r.get("bucket")));
    }
    Map<String, Object> byDefault =
        map(
            path(
                map(resources("aws_s3_bucket_server_side_encryption_configuration").get("this")),
                "rule",
                "apply_server_side_encryption_by_default"));
    assertEquals("aws:kms", byDefault.get("sse_algorithm"));
    Map<String, Object> pab = map(resources("aws_s3_bucket_public_access_block").get("this"));
    for (String flag :
        List.of(
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets")) {
      assertEquals("public access block " + flag, Boolean.TRUE, pab.get(flag));
    }
    assertEquals(
        "Enabled",
        path(
            map(resources("aws_s3_bucket_versioning").get("this")),
            "versioning_configuration",
            "status"));

    // the policy: deny plain HTTP (and old TLS) to everyone, on the bucket and its objects
    assertEquals(
        "data.aws_iam_policy_document.tls_only.each.key.json",
        ref(map(resources("aws_s3_bucket_policy").get("this")).get("policy")));
    assertEquals(
        List.of("Bool", "aws:SecureTransport", "false"),
        strings(map(locals.get("insecure_transport")).get("DenyInsecureTransport")));
    assertThat(
        TEXT.get("s3.tf"),
        containsString(
            "bucket_tls = { for k, b in aws_s3_bucket.this : k => [\"s3:*\", b.arn,"
                + " format(\"%s/*\", b.arn)] }"));
    Map<String, Object> deny =
        map(path(map(documents().get("tls_only")), "dynamic", "statement", "content"));
    assertEquals("Deny", deny.get("effect"));
    assertEquals(List.of("*"), strings(map(deny.get("principals")).get("identifiers")));
    assertThat(TEXT.get("s3.tf"), containsString("test     = statement.value[0]"));
    assertThat(TEXT.get("s3.tf"), containsString("variable = statement.value[1]"));
  }

  @Test
  public void lifecycleArchivesBronzeAndExpiresQuarantineAndAthenaResults() {
    Map<String, Object> expiring = map(locals.get("expiring_prefixes"));
    assertThat(
        "quarantine/ expires",
        map(expiring.get("lake")).keySet(),
        hasItem(OutputPaths.QUARANTINE + "/"));
    assertThat(
        "_staging/ leftovers expire",
        map(expiring.get("lake")).keySet(),
        hasItem(OutputPaths.STAGING + "/"));
    assertThat(
        "Athena results expire",
        map(expiring.get("artifacts")).keySet(),
        hasItem("athena-results/"));
    assertThat("bronze never expires", map(expiring.get("bronze")).keySet(), empty());
    String s3 = TEXT.get("s3.tf");
    assertThat(
        s3,
        containsString(
            "for_each = each.key == \"bronze\" ? [var.bronze_archive_storage_class] : []"));
    assertThat(s3, containsString("days          = var.bronze_archive_after_days"));
    // S3 refuses transitions to the *_IA classes before 30 days: plan must refuse them too
    assertThat(
        "a precondition keeps *_IA transitions at 30 days or more",
        s3,
        containsString(
            "condition     = !contains([\"STANDARD_IA\", \"ONEZONE_IA\"],"
                + " var.bronze_archive_storage_class) || var.bronze_archive_after_days >= 30"));

    Map<String, Object> wg = map(resources("aws_athena_workgroup").get("trendlake"));
    Map<String, Object> conf = map(wg.get("configuration"));
    assertEquals(Boolean.TRUE, conf.get("enforce_workgroup_configuration"));
    Map<String, Object> results = map(conf.get("result_configuration"));
    assertThat(String.valueOf(results.get("output_location")), containsString("/athena-results/"));
    assertEquals("SSE_KMS", path(results, "encryption_configuration", "encryption_option"));
  }

  // ---- IAM -----------------------------------------------------------------------------------

  @Test
  public void everyPolicyIsAnInspectablePolicyDocument() {
    List<String> opaque = new ArrayList<>();
    String iam = TEXT.get("iam.tf");
    assertThat(
        iam,
        containsString(
            "role_policies = { for r, d in local.roles : r =>"
                + " data.aws_iam_policy_document.this[r].json }"));
    assertThat(
        iam,
        containsString("assume_role_policy = data.aws_iam_policy_document.trust[each.key].json"));
    assertThat(
        iam, containsString("policy      = data.aws_iam_policy_document.this[\"job_data\"].json"));
    assertThat(
        "every role has its policy",
        map(locals.get("policies")).keySet(),
        hasItems(map(locals.get("roles")).keySet().toArray(new String[0])));
    for (String type :
        List.of("aws_iam_role_policy", "aws_s3_bucket_policy", "aws_sns_topic_policy")) {
      resources(type)
          .forEach(
              (n, r) -> {
                String p = ref(map(r).get("policy"));
                if (!(p.startsWith("data.aws_iam_policy_document.") || p.equals("each.value"))) {
                  opaque.add(type + "." + n + ".policy = " + p);
                }
              });
    }
    assertThat(
        "policies must be aws_iam_policy_document (so this test can read them)", opaque, empty());
  }

  @Test
  public void noIamStatementHasAWildcardActionOrAWildcardResourceOnData() {
    List<String> problems = new ArrayList<>();
    assertThat(
        policies().keySet(),
        hasItems("job_data", "redshift_copy", "ingestion", "ingest", "managed_flink"));
    for (Statement st : allowStatements()) {
      for (String a : st.actions()) {
        if (a.contains("*")) {
          problems.add(st + ": wildcard action " + a);
        }
      }
      for (String r : st.resources()) {
        if (r.equals("*") || r.matches("arn:[^:]*:s3:::\\*.*")) {
          for (String a : st.actions()) {
            if (!ACTIONS_WITHOUT_RESOURCE_TYPES.contains(a)) {
              problems.add(st + ": " + a + " on resource " + r);
            }
          }
        }
        if (BUCKETS.stream().anyMatch(b -> r.equals(bucketArn(b) + "/*"))) {
          problems.add(st + ": every object of a bucket (" + r + "): name the prefixes");
        }
      }
    }
    assertThat(problems, empty());
  }

  @Test
  public void eachRoleReachesOnlyItsPrefixes() {
    String bronze = bucketArn("bronze") + "/";
    String lake = bucketArn("lake") + "/";
    assertEquals(
        Set.of(
            bronze + "raw_statistics/*",
            bronze + "raw_statistics_reference_data/*",
            lake + "silver/*",
            lake + "gold/*",
            lake + "quarantine/*",
            lake + "_manifests/*",
            lake + "_staging/*",
            lake + "_lock.json"),
        objectResources("job_data"));
    assertEquals(Set.of(lake + "silver/*", lake + "gold/*"), objectResources("redshift_copy"));
    Set<String> uploads =
        Set.of(
            bronze + "raw_statistics/*",
            bronze + "raw_statistics_reference_data/*",
            bronze + "raw_api/*");
    assertEquals(uploads, objectResources("ingestion"));
    assertTrue(
        "the ingest task uploads the same prefixes",
        objectResources("ingest").containsAll(uploads));
    for (String doc : List.of("redshift_copy", "ingestion", "ingest")) {
      for (Statement st : policies().get(doc)) {
        assertThat(
            doc + " never deletes",
            st.actions(),
            org.hamcrest.Matchers.not(hasItem("s3:DeleteObject")));
      }
    }
  }

  /**
   * Finding 1 of issue 17: the job's S3 preflight lists the output root, the lake bucket, with an
   * empty prefix. A sample of the job's own requests, evaluated as IAM would (an absent or empty
   * s3:prefix never matches StringLike), must each be allowed by the job's policy.
   */
  @Test
  public void theJobPolicyAllowsTheRequestsTheJobMakes() {
    String lake = bucketArn("lake");
    String bronze = bucketArn("bronze");
    List<Request> requests =
        List.of(
            new Request("s3:ListBucket", lake, Map.of("s3:prefix", "")),
            new Request("s3:ListBucket", lake, Map.of("s3:prefix", "_staging/run-1/")),
            new Request("s3:PutObject", lake + "/_staging/run-1/_preflight", Map.of()),
            new Request("s3:DeleteObject", lake + "/_staging/run-1/_preflight", Map.of()),
            new Request(
                "s3:ListBucketMultipartUploads", lake, Map.of("s3:prefix", "_staging/run-1/")),
            new Request(
                "s3:AbortMultipartUpload", lake + "/_staging/run-1/gold/x.parquet", Map.of()),
            new Request("s3:ListBucket", lake, Map.of("s3:prefix", "gold/trending/region=us/")),
            new Request("s3:GetObject", lake + "/_manifests/latest.json", Map.of()),
            new Request("s3:ListBucket", bronze, Map.of("s3:prefix", "raw_statistics/")),
            new Request("s3:GetObject", bronze + "/raw_statistics/region=us/us.csv", Map.of()),
            new Request(
                "secretsmanager:GetSecretValue",
                "aws_redshiftserverless_namespace.trendlake.admin_password_secret_arn",
                Map.of()),
            new Request(
                "cloudwatch:PutMetricData",
                "*",
                Map.of("cloudwatch:namespace", "var.metrics_namespace")));
    List<String> denied = new ArrayList<>();
    for (Request r : requests) {
      if (!allowed(policies().get("job_data"), r)) {
        denied.add(r.toString());
      }
    }
    assertThat("the job role would be denied", denied, empty());
    assertTrue(
        "deleting bronze must stay denied",
        !allowed(
            policies().get("job_data"),
            new Request("s3:DeleteObject", bronze + "/raw_statistics/x.csv", Map.of())));
  }

  /**
   * Finding 4: s3:prefix is a condition key of the listing actions only; any other action under
   * such a condition is never allowed.
   */
  @Test
  public void prefixConditionsGuardOnlyActionsThatHaveTheKey() {
    List<String> problems = new ArrayList<>();
    for (Statement st : allowStatements()) {
      if (st.conditions().stream().anyMatch(c -> c.variable().equals("s3:prefix"))) {
        for (String a : st.actions()) {
          if (!Set.of("s3:ListBucket", "s3:ListBucketVersions").contains(a)) {
            problems.add(st + ": " + a + " has no s3:prefix condition key, so it is never allowed");
          }
        }
      }
    }
    assertThat(problems, empty());
    assertTrue(
        "Redshift's COPY asks for the bucket's location",
        allowed(
            policies().get("redshift_copy"),
            new Request("s3:GetBucketLocation", bucketArn("lake"), Map.of())));
  }

  /**
   * Also of issue 17: PassRole only to the named service; the workflow only on its own clusters.
   */
  @Test
  public void passRoleNamesTheServiceAndTheWorkflowDrivesOnlyItsClusters() {
    List<String> problems = new ArrayList<>();
    for (Statement st : allowStatements()) {
      if (st.actions().contains("iam:PassRole")
          && st.conditions().stream().noneMatch(c -> c.variable().equals("iam:PassedToService"))) {
        problems.add(st + ": iam:PassRole without an iam:PassedToService condition");
      }
      boolean drives =
          st.actions().stream()
              .anyMatch(
                  a ->
                      a.equals("elasticmapreduce:TerminateJobFlows")
                          || a.equals("elasticmapreduce:AddJobFlowSteps"));
      if (drives
          && st.conditions().stream().noneMatch(c -> c.variable().startsWith("aws:ResourceTag/"))) {
        problems.add(st + ": may drive any cluster of the account (no aws:ResourceTag condition)");
      }
      if (st.actions().contains("elasticmapreduce:RunJobFlow")
          && st.conditions().stream().noneMatch(c -> c.variable().startsWith("aws:RequestTag/"))) {
        problems.add(st + ": RunJobFlow unscoped (no aws:RequestTag condition)");
      }
    }
    assertThat(problems, empty());
    assertThat(
        "the cluster carries the tag the workflow's conditions ask for",
        TEXT.get("emr.tf"),
        containsString("Tags              = [local.emr_cluster_tag, local.emr_managed_tag,"));
  }

  /** Also: no trust of a whole account; nothing of Managed Flink exists when it is not deployed. */
  @Test
  public void rolesTrustOnlyTheirServiceAndExistOnlyWhenUsed() {
    for (String f : TEXT.keySet()) {
      assertThat(
          f + ": trusting :root trusts the whole account",
          TEXT.get(f),
          org.hamcrest.Matchers.not(containsString(":root")));
    }
    String iam = TEXT.get("iam.tf");
    assertThat(iam, containsString("identifiers = var.ingestion_principal_arns"));
    assertThat(iam, containsString("count = length(var.ingestion_principal_arns) > 0 ? 1 : 0"));
    assertThat(iam, containsString("managed_flink    = [local.managed_flink_enabled,"));
    assertThat(iam, containsString("created_roles = { for r, d in local.roles : r => d if d[0] }"));
    assertThat(
        TEXT.get("managed_flink.tf"),
        containsString(
            "managed_flink  = [\"/aws/kinesis-analytics/${local.name}\","
                + " local.managed_flink_enabled]"));
    assertThat(
        TEXT.get("managed_flink.tf"),
        containsString("for_each = { for g, d in local.log_groups : g => d[0] if d[1] }"));
  }

  // ---- network, Redshift, the warehouse load --------------------------------------------------

  /**
   * Findings 2, 3: Terraform removes a new group's allow-all egress and EMR adds only inbound
   * rules, so the flows the cluster needs must be listed; with enhanced VPC routing COPY reaches S3
   * through the workgroup's group.
   */
  @Test
  public void everyComponentReachesWhatItNeeds() {
    List<String> flows = strings(locals.get("flows"));
    for (String f :
        List.of(
            "emr_primary>emr_core:all",
            "emr_core>emr_primary:all",
            "emr_core>emr_core:all",
            "emr_primary>emr_service_access:9443",
            "emr_service_access>emr_primary:8443",
            "emr_service_access>emr_core:8443",
            "emr_primary>0.0.0.0/0:443",
            "emr_core>0.0.0.0/0:443",
            "emr_core>redshift:5439",
            "managed_flink>redshift:5439",
            "managed_flink>0.0.0.0/0:443",
            "ingest>0.0.0.0/0:443",
            "redshift>s3:443")) {
      assertThat("network.tf flows", flows, hasItem(f));
    }
    assertThat(
        "a flow to s3 is the region's S3 prefix list",
        TEXT.get("network.tf"),
        containsString(
            "prefix_list_id               = each.value.to == \"s3\" ?"
                + " data.aws_ec2_managed_prefix_list.s3.id : null"));
    assertThat(
        map(locals.get("security_groups")).keySet(),
        hasItems(
            "emr_primary",
            "emr_core",
            "emr_service_access",
            "redshift",
            "managed_flink",
            "ingest"));
  }

  @Test
  public void redshiftIsPrivateWithAManagedPasswordAndTheCopyRole() {
    Map<String, Object> wg = map(resources("aws_redshiftserverless_workgroup").get("trendlake"));
    assertEquals(Boolean.FALSE, wg.get("publicly_accessible"));
    assertEquals(Boolean.TRUE, wg.get("enhanced_vpc_routing"));
    assertEquals("var.private_subnet_ids", ref(wg.get("subnet_ids")));
    Map<String, Object> ns = map(resources("aws_redshiftserverless_namespace").get("trendlake"));
    assertEquals(Boolean.TRUE, ns.get("manage_admin_password"));
    assertTrue("no admin password in Terraform", !ns.containsKey("admin_user_password"));
    assertEquals("aws_kms_key.data.arn", ref(ns.get("admin_password_secret_kms_key_id")));
    for (Object rule : resources("aws_vpc_security_group_ingress_rule").values()) {
      assertThat(
          String.valueOf(map(rule).get("cidr_ipv4")), org.hamcrest.Matchers.not(is("0.0.0.0/0")));
    }
    // Also: the output is the endpoint's address, not the endpoint object
    Matcher endpoint = Pattern.compile("\\.endpoint(\\S*)").matcher(TEXT.get("outputs.tf"));
    while (endpoint.find()) {
      assertThat(
          "outputs.tf: an endpoint's address or port",
          endpoint.group(1),
          org.hamcrest.Matchers.anyOf(is("[0].address"), is("[0].port")));
    }
  }

  /**
   * Finding 5: the scheduled job (and Managed Flink) must pass every option the job needs to load
   * Redshift, and the job's role must read the secret.
   */
  @Test
  public void theJobIsGivenEverythingItNeedsToLoadRedshift() {
    Set<String> warehouse = new TreeSet<>(RunOption.names());
    Map<String, Object> options = map(locals.get("warehouse_options"));
    assertEquals(
        "warehouse options the EMR step and the property group pass",
        Set.of("warehouse", "warehouseSecretArn", "warehouseLoad", "redshiftCopyRoleArn"),
        options.keySet());
    assertTrue("real options of the job", warehouse.containsAll(options.keySet()));
    assertThat(
        ref(options.get("warehouse")),
        org.hamcrest.Matchers.startsWith(
            "jdbc:redshift://aws_redshiftserverless_workgroup.trendlake.endpoint"));
    assertEquals(
        "aws_redshiftserverless_namespace.trendlake.admin_password_secret_arn",
        ref(options.get("warehouseSecretArn")));
    assertEquals("var.warehouse_load", ref(options.get("warehouseLoad")));
    assertEquals("copy", map(map(variables.get("variable")).get("warehouse_load")).get("default"));
    assertThat(
        TEXT.get("emr.tf"),
        containsString(
            "job_options = merge(local.job_base_options, var.warehouse_load == \"none\" ? tomap({"
                + " warehouse = \"none\" }) : tomap(local.warehouse_options))"));
    assertThat(
        "the EMR step passes every job option",
        TEXT.get("emr.tf"),
        containsString("[for k, v in local.job_options : \"--${k}=${v}\"]"));
    assertThat(
        "Managed Flink gets the same",
        flat("managed_flink.tf"),
        containsString("managed_flink_properties = merge( local.job_options,"));
    assertTrue(
        "the job may read the warehouse secret",
        allowed(
            policies().get("job_data"),
            new Request(
                "secretsmanager:GetSecretValue",
                "aws_redshiftserverless_namespace.trendlake.admin_password_secret_arn",
                Map.of())));
  }

  // ---- variables -----------------------------------------------------------------------------

  @Test
  public void everyVariableHasATypeAndADescriptionAndIsDeclared() throws IOException {
    Map<String, Object> vars = map(variables.get("variable"));
    assertThat(
        vars.keySet(),
        hasItems("aws_region", "private_subnet_ids", "metrics_namespace", "deployment_mode"));
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
    Set<String> used = new TreeSet<>();
    while (m.find()) {
      used.add(m.group(1));
      if (!vars.containsKey(m.group(1))) {
        problems.add("var." + m.group(1) + " is used but not declared");
      }
    }
    for (String v : vars.keySet()) {
      if (!used.contains(v)) {
        problems.add("variable " + v + " is declared but never used");
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
    assertThat(
        TEXT.get("managed_flink.tf"),
        containsString("count = local.managed_flink_enabled ? 1 : 0"));

    Map<String, Object> conf = map(app.get("application_configuration"));
    Map<String, Object> flink = map(conf.get("flink_application_configuration"));
    assertEquals(Boolean.TRUE, path(flink, "checkpoint_configuration", "checkpointing_enabled"));
    assertEquals(
        "var.managed_flink_parallelism",
        ref(path(flink, "parallelism_configuration", "parallelism")));
    assertEquals(
        "var.managed_flink_autoscaling",
        ref(path(flink, "parallelism_configuration", "auto_scaling_enabled")));
    assertNotNull("in the VPC, to reach Redshift", conf.get("vpc_configuration"));

    // Also: parallelism belongs to the service's ParallelismConfiguration, never the properties
    // (a property would pin it and defeat autoscaling)
    Set<String> options = new TreeSet<>(RunOption.names());
    options.addAll(optionNames(AwsOptions.class));
    Map<String, Object> base = map(locals.get("job_base_options"));
    assertThat(base.keySet(), hasItems("input", "output", "cloudWatchNamespace"));
    for (String k : base.keySet()) {
      assertThat("property " + k + " is not a pipeline option", options, hasItem(k));
    }
    assertThat(base.keySet(), org.hamcrest.Matchers.not(hasItem("parallelism")));
    assertEquals("var.metrics_namespace", ref(base.get("cloudWatchNamespace")));
  }

  /**
   * The application is a continuous job by default, its state restored from the latest snapshot
   * (none of it dropped), with the watch and commit timing as properties; the service's parallelism
   * per KPU and the log stream stay.
   */
  @Test
  public void managedFlinkRunsTheContinuousJobRestoredFromItsLatestSnapshot() {
    Map<String, Object> vars = map(variables.get("variable"));
    assertEquals(
        "continuous by default",
        Boolean.TRUE,
        map(vars.get("managed_flink_continuous")).get("default"));
    Map<String, Object> app = map(resources("aws_kinesisanalyticsv2_application").get("trendlake"));
    Map<String, Object> conf = map(app.get("application_configuration"));
    assertEquals(
        "snapshots on when continuous",
        "var.managed_flink_continuous",
        ref(path(conf, "application_snapshot_configuration", "snapshots_enabled")));
    assertEquals(
        "RESTORE_FROM_LATEST_SNAPSHOT",
        path(
            conf,
            "run_configuration",
            "application_restore_configuration",
            "application_restore_type"));
    assertEquals(
        "state the job can't map fails the start",
        Boolean.FALSE,
        path(conf, "run_configuration", "flink_run_configuration", "allow_non_restored_state"));
    assertEquals(
        "var.managed_flink_parallelism_per_kpu",
        ref(
            path(
                conf,
                "flink_application_configuration",
                "parallelism_configuration",
                "parallelism_per_kpu")));
    assertNotNull(path(app, "cloudwatch_logging_options", "log_stream_arn"));
    // hcl4j reads an index as [.value]: the reference is read from the text
    assertThat(
        flat("managed_flink.tf"),
        containsString(
            "cloudwatch_logging_options { log_stream_arn ="
                + " aws_cloudwatch_log_stream.managed_flink[0].arn }"));

    // the property group: continuous always said, the timing only with it (a batch run refuses it)
    assertEquals(
        "local.managed_flink_properties",
        ref(path(conf, "environment_properties", "property_group", "property_map")));
    assertThat(
        flat("managed_flink.tf"),
        containsString(
            "managed_flink_properties = merge( local.job_options, { continuous ="
                + " tostring(var.managed_flink_continuous) }, var.managed_flink_continuous ?"
                + " tomap({ watchInterval = var.managed_flink_watch_interval, commitDelay ="
                + " var.managed_flink_commit_delay }) : tomap({}), )"));
    assertThat(
        "real options of the job",
        RunOption.names(),
        hasItems("continuous", "watchInterval", "commitDelay"));
    for (String v : List.of("managed_flink_watch_interval", "managed_flink_commit_delay")) {
      String d = (String) map(vars.get(v)).get("default");
      assertEquals(v, "PT1M", d);
      assertEquals(v, java.time.Duration.ofMinutes(1), java.time.Duration.parse(d));
    }
  }

  static Set<String> optionNames(Class<?> options) {
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
        tableColumns("quarantine_statistics"));
    String glue = TEXT.get("glue_athena.tf");
    assertThat(glue, containsString("\"quarantine/statistics\", false,\n"));
    assertThat(
        glue,
        containsString(
            "concat(var.regions, startswith(each.key, \"quarantine\") ? [\"unknown\"] : [])"));
    assertThat(
        glue,
        containsString(
            "table_format    = { for t, d in local.glue_tables : t => startswith(t, \"quarantine\")"
                + " ? local.json : local.parquet }"));
    assertThat(glue, containsString("\"org.openx.data.jsonserde.JsonSerDe\""));
  }

  /**
   * TMDB's tables (a resource of their own: their partitions are the list and the day): columns
   * from ShowColumns' Parquet schemas, partition keys its partition columns, the projected lists
   * those the job reads.
   */
  @Test
  public void tmdbGlueTablesMatchTheShowColumns() {
    RowSchema shows = TmdbDataset.INSTANCE.schema();
    checkColumns("gold_tmdb_shows", Schemas.gold(shows));
    checkColumns("silver_tmdb_shows", Schemas.silver(shows));
    String glue = TEXT.get("glue_athena.tf");
    for (String prefix :
        List.of(TmdbDataset.INSTANCE.goldTable(), TmdbDataset.INSTANCE.silverTable())) {
      assertThat(glue, containsString("\", \"" + prefix + "\",\n"));
    }
    Map<String, Object> table = first(resources("aws_glue_catalog_table").get("tmdb"));
    List<String> keys = new ArrayList<>();
    for (Map<String, Object> k : blocks(table.get("partition_keys"))) {
      keys.add(k.get("name") + ":" + k.get("type"));
    }
    List<String> expected = new ArrayList<>();
    StringBuilder template = new StringBuilder("/${each.value[1]}");
    for (Col<?> c : shows.partitionCols()) {
      expected.add(c.name() + ":" + (c.type() == ValueType.DATE ? "date" : "string"));
      template.append('/').append(c.name()).append("=$${").append(c.name()).append('}');
    }
    assertEquals("partition keys vs ShowColumns", expected, keys);
    assertThat(glue, containsString(template + "\""));
    assertEquals(
        "projected lists vs the lists the job reads",
        new TreeSet<>(ShowFiles.LISTS),
        new TreeSet<>(strings(locals.get("tmdb_lists"))));
    assertThat(
        glue, containsString("\"projection.dt.range\"         = \"${var.tmdb_dt_start},NOW\""));
  }

  private static void checkColumns(String name, Schema schema) {
    List<String> expected = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      expected.add(f.name() + ":" + hiveType(f.schema()));
    }
    assertEquals(name + " columns vs " + schema.getName(), expected, tableColumns(name));
  }

  private static void checkTable(String name, Schema schema, String prefix, boolean byDate) {
    checkColumns(name, schema);
    String glue = TEXT.get("glue_athena.tf");
    assertThat(name, glue, containsString("\"" + prefix + "\", " + byDate + ",\n"));
    assertThat(glue, containsString("serialization_library = local.table_format[each.key][3]"));
    assertThat(
        glue, containsString("\"org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe\""));
    assertThat(
        glue, containsString("\"projection.region.values\"  = join(\",\", concat(var.regions,"));
    assertThat(
        glue,
        containsString(
            "\"storage.location.template\" ="
                + " \"s3://${local.bucket_names.lake}/${each.value[1]}/region=$${region}$"
                + "{each.value[2]"
                + " ? \"/trending_date=$${trending_date}\" : \"\"}\""));
    assertThat(
        glue,
        containsString(
            "\"projection.trending_date.range\"         = \"${var.trending_date_start},NOW\""));
  }

  /**
   * A table's columns from local.glue_tables (a list, or a concat() of lists and locals), read from
   * the text: hcl4j does not evaluate concat().
   */
  private static List<String> tableColumns(String table) {
    String glue = TEXT.get("glue_athena.tf");
    Matcher m =
        Pattern.compile("\\n    " + table + " = \\[\\n[^\\n]*\\n      ([^\\n]*),\\n    ]")
            .matcher(glue);
    assertTrue("local.glue_tables." + table + " not found", m.find());
    String columns = m.group(1).trim();
    List<String> out = new ArrayList<>();
    String inner =
        columns.startsWith("concat(") ? columns.substring(7, columns.length() - 1) : columns;
    for (String part : splitTopLevel(inner)) {
      part = part.trim();
      if (part.startsWith("local.")) {
        out.addAll(strings(locals.get(part.substring(6))));
      } else {
        Matcher s = Pattern.compile("\"([^\"]*)\"").matcher(part);
        while (s.find()) {
          out.add(s.group(1));
        }
      }
    }
    return out;
  }

  private static List<String> splitTopLevel(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '[' || c == '(') {
        depth++;
      } else if (c == ']' || c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
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

  // ---- monitoring ----------------------------------------------------------------------------

  @Test
  public void quarantineAlarmWatchesTheMetricTheJobPublishes() {
    assertThat("the job's option", RunOption.names(), hasItem("cloudWatchNamespace"));
    String mon = TEXT.get("monitoring.tf");
    assertThat(
        mon,
        containsString(
            "quarantine_alarms = { for r in concat([\""
                + QuarantineMetrics.ALL_REGIONS
                + "\"], var.regions) : format(\"quarantine-ratio-%s\", r) => { on = true, region ="
                + " r, namespace = var.metrics_namespace, period = 3600, periods = 1, above ="
                + " var.quarantine_ratio_threshold } }"));
    assertThat(
        mon,
        containsString(
            "metric_name         = try(each.value.metric, \"" + QuarantineMetrics.RATIO + "\")"));
    assertThat(
        mon,
        containsString(
            "dimensions          = tomap(try(each.value.dimensions, { "
                + QuarantineMetrics.REGION
                + " = each.value.region }))"));
    assertThat(mon, containsString("alarm_actions       = [aws_sns_topic.alarms.arn]"));
    assertThat(mon, containsString("for_each = { for a, d in local.alarms : a => d if d.on }"));
  }

  /** The quality alarms watch the metrics FinishRun publishes, with no dimension. */
  @Test
  public void qualityAlarmsWatchTheMetricsTheJobPublishes() {
    String mon = TEXT.get("monitoring.tf");
    assertThat(
        mon,
        containsString(
            "namespace = var.metrics_namespace, metric = \""
                + QualityMetrics.FAIL_RULES_FAILED
                + "\", dimensions = {}\n      statistic = \"Maximum\", period = 3600, periods = 1,"
                + " above = 0"));
    assertThat(
        mon,
        containsString(
            "namespace = var.metrics_namespace, metric = \""
                + QualityMetrics.PASS_RATE
                + "\", dimensions = {}\n      statistic = \"Minimum\", period = 3600, periods = 1,"
                + " below = var.quality_pass_rate_threshold"));
    assertThat(mon, containsString("quality-rejected = {"));
    assertThat(mon, containsString("quality-pass-rate = {"));
    assertEquals(
        1,
        ((Number)
                map(map(variables.get("variable")).get("quality_pass_rate_threshold"))
                    .get("default"))
            .intValue());
  }

  /** Finding 8: a publish that fails (or a run that never ends) must not pass unnoticed. */
  @Test
  public void missingMetricsRaiseAnAlarmAndPrivateSubnetsReachCloudWatch() {
    String mon = TEXT.get("monitoring.tf");
    assertThat(
        mon,
        containsString(
            "namespace = var.metrics_namespace, metric = \""
                + QuarantineMetrics.RECORDS
                + "\", dimensions = { "
                + QuarantineMetrics.REGION
                + " = \""
                + QuarantineMetrics.ALL_REGIONS
                + "\" }"));
    assertThat(mon, containsString("missing = \"breaching\", below = 1"));
    assertThat(
        mon,
        containsString(
            "statistic = \"SampleCount\", period = 3600, periods = var.metrics_heartbeat_hours"));
    List<String> endpoints =
        strings(map(map(variables.get("variable")).get("interface_endpoints")).get("default"));
    assertThat(
        "interface endpoints by default", endpoints, hasItems("monitoring", "secretsmanager"));
    Map<String, Object> ep = map(resources("aws_vpc_endpoint").get("interface"));
    assertEquals("Interface", ep.get("vpc_endpoint_type"));
    assertEquals(Boolean.TRUE, ep.get("private_dns_enabled"));
    assertThat(
        strings(locals.get("flows")),
        hasItems("emr_core>endpoints:443", "managed_flink>endpoints:443"));
  }

  /**
   * The continuous job's alarm: statistics uploads to bronze (S3 request metrics on its prefix)
   * with no {@link CommitMetrics#COMMITS} of the job, in two windows in a row, to the alarm topic;
   * only with a continuous Managed Flink application.
   */
  @Test
  public void noCommitWhileFilesArriveRaisesAnAlarm() {
    String mon = TEXT.get("monitoring.tf");
    assertThat(
        mon,
        containsString(
            "no_commit_alarm  = local.managed_flink_enabled && var.managed_flink_continuous"));
    assertThat(
        mon, containsString("no_commit_period = var.managed_flink_no_commit_alarm_minutes * 60"));
    Map<String, Object> vars = map(variables.get("variable"));
    assertThat(
        ((Number) map(vars.get("managed_flink_no_commit_alarm_minutes")).get("default")).intValue(),
        org.hamcrest.Matchers.greaterThanOrEqualTo(5));

    Map<String, Object> filter = map(resources("aws_s3_bucket_metric").get("bronze_statistics"));
    assertEquals("raw_statistics/", path(filter, "filter", "prefix"));
    // hcl4j reads an index as [.value]: such references are read from the text
    String flatMon = flat("monitoring.tf");
    assertThat(
        flatMon,
        containsString(
            "bucket = aws_s3_bucket.this[\"bronze\"].id name = \""
                + ref(filter.get("name"))
                + "\""));
    assertThat(
        "the prefix the job reads",
        TEXT.get("iam.tf"),
        containsString("\"${local.bronze_arn}/raw_statistics/*\""));

    Map<String, Object> alarm = map(resources("aws_cloudwatch_metric_alarm").get("no_commit"));
    Map<String, Object> returned = null;
    Map<String, Object> puts = null;
    Map<String, Object> commits = null;
    for (Map<String, Object> q : blocks(alarm.get("metric_query"))) {
      if (Boolean.TRUE.equals(q.get("return_data"))) {
        assertTrue("one query is the alarm's", returned == null);
        returned = q;
      }
      if ("puts".equals(q.get("id"))) {
        puts = map(first(q.get("metric")));
      }
      if ("commits".equals(q.get("id"))) {
        commits = map(first(q.get("metric")));
      }
    }
    assertNotNull("the expression the alarm watches", returned);
    assertEquals(
        "IF(FILL(puts, 0) > 0 AND FILL(commits, 0) == 0, 1, 0)", returned.get("expression"));
    assertNotNull("the uploads", puts);
    assertEquals("AWS/S3", puts.get("namespace"));
    assertEquals("PutRequests", puts.get("metric_name"));
    assertEquals("Sum", puts.get("stat"));
    assertEquals(Set.of("BucketName", "FilterId"), map(puts.get("dimensions")).keySet());
    assertThat(
        flatMon,
        containsString(
            "dimensions = { BucketName = aws_s3_bucket.this[\"bronze\"].id, FilterId ="
                + " aws_s3_bucket_metric.bronze_statistics[0].name }"));
    assertNotNull("the job's commits", commits);
    assertEquals("var.metrics_namespace", ref(commits.get("namespace")));
    assertEquals(CommitMetrics.COMMITS, commits.get("metric_name"));
    assertEquals("Sum", commits.get("stat"));
    assertTrue("Commits has no dimension", commits.get("dimensions") == null);
    // both over the window (hcl4j evaluates the local with the variable unset: read the text)
    assertEquals(
        2, flatMon.split("stat = \"Sum\" period = local.no_commit_period }", -1).length - 1);
    assertEquals("GreaterThanThreshold", alarm.get("comparison_operator"));
    assertEquals(0, ((Number) alarm.get("threshold")).intValue());
    assertEquals(2, ((Number) alarm.get("evaluation_periods")).intValue());
    assertEquals(2, ((Number) alarm.get("datapoints_to_alarm")).intValue());
    assertEquals("notBreaching", alarm.get("treat_missing_data"));
    assertEquals(List.of("aws_sns_topic.alarms.arn"), strings(alarm.get("alarm_actions")));
    for (String r :
        List.of(
            "resource \"aws_s3_bucket_metric\" \"bronze_statistics\" {\n"
                + "  count = local.no_commit_alarm ? 1 : 0",
            "resource \"aws_cloudwatch_metric_alarm\" \"no_commit\" {\n"
                + "  count = local.no_commit_alarm ? 1 : 0")) {
      assertThat(mon, containsString(r));
    }
  }

  // ---- the scheduled flow ----------------------------------------------------------------------

  /**
   * Findings 6 and 7: ingest runs first (ECS Fargate), a failed ingest does not stop the transform;
   * timeouts sit on the tasks, where Catch handles them, and every path after the cluster exists
   * terminates it; an idle cluster terminates itself.
   */
  @Test
  public void batchWorkflowIngestsThenRunsTheJarOnATransientClusterAndAlwaysTerminatesIt()
      throws IOException {
    Map<String, Object> sm = map(resources("aws_sfn_state_machine").get("batch"));
    assertTrue("the definition must be jsonencode({...})", sm.get("definition") instanceof String);
    JsonNode def = new ObjectMapper().readTree((String) sm.get("definition"));
    assertTrue(
        "finding 7: no timeout on the whole execution (Catch can't handle it)",
        def.path("TimeoutSeconds").isMissingNode());
    JsonNode states = def.path("States");
    String start = def.path("StartAt").asText();
    assertEquals("Ingest", start);
    JsonNode ingest = states.path(start);
    assertThat(
        ingest.path("Resource").asText(), org.hamcrest.Matchers.endsWith(":ecs:runTask.sync"));
    assertTrue("a timeout on the ingest task", ingest.has("TimeoutSeconds"));
    String create = ingest.path("Next").asText();
    assertEquals(
        "a failed ingest goes on to the transform",
        create,
        ingest.path("Catch").path(0).path("Next").asText());

    JsonNode createState = states.path(create);
    assertThat(
        createState.path("Resource").asText(),
        org.hamcrest.Matchers.endsWith(":elasticmapreduce:createCluster.sync"));
    JsonNode params = createState.path("Parameters");
    assertThat(params.path("ReleaseLabel").toString(), containsString("var.emr_release_label"));
    assertEquals("Flink", params.path("Applications").path(0).path("Name").asText());
    assertTrue(
        "the cluster ends itself when idle",
        params.path("AutoTerminationPolicy").has("IdleTimeout"));
    assertThat(
        "an EMR security configuration",
        TEXT.get("emr.tf"),
        containsString(
            "SecurityConfiguration = one(aws_emr_security_configuration.batch[*].name)"));
    assertTrue("a timeout on cluster creation", createState.has("TimeoutSeconds"));
    assertEquals(
        "the adaptive batch scheduler would read the files with parallelism 1",
        "false",
        params
            .path("Configurations")
            .path(0)
            .path("Properties")
            .path("execution.batch.adaptive.auto-parallelism.enabled")
            .asText());

    String run = createState.path("Next").asText();
    JsonNode runState = states.path(run);
    assertThat(
        runState.path("Resource").asText(),
        org.hamcrest.Matchers.endsWith(":elasticmapreduce:addStep.sync"));
    assertTrue("finding 7: the step's timeout is a task timeout", runState.has("TimeoutSeconds"));
    String terminate = runState.path("Next").asText();
    assertEquals(
        "a failed or timed-out step still terminates the cluster",
        terminate,
        runState.path("Catch").path(0).path("Next").asText());
    assertEquals(
        List.of("States.ALL"),
        List.of(runState.path("Catch").path(0).path("ErrorEquals").path(0).asText()));
    assertThat(
        states.path(terminate).path("Resource").asText(), containsString("terminateCluster"));
    JsonNode outcome = states.path(states.path(terminate).path("Next").asText());
    assertEquals("Choice", outcome.path("Type").asText());
    assertThat(
        states
            .path(outcome.path("Choices").path(0).path("Next").asText())
            .path("Resource")
            .asText(),
        containsString(":sns:publish"));

    String command = ref(locals.get("emr_step_command"));
    assertThat(
        command, containsString("flink run -m yarn-cluster /home/hadoop/trendlake-bundled.jar"));
    assertThat(
        TEXT.get("emr.tf"),
        containsString("emr_job_args     = join(\" \", concat([\"run\", \"--runner=FlinkRunner\""));

    // ingest: the real command, with the key from Secrets Manager, scheduled when no batch runs
    List<String> ingestCommand = strings(locals.get("ingest_command"));
    assertThat(ingestCommand, hasItems("java", "-jar", "/jars/app.jar", "ingest"));
    assertThat(
        String.join(" ", ingestCommand),
        containsString("--apiKeySecretArn=aws_secretsmanager_secret.youtube_api_key.arn"));
    assertThat(String.join(" ", ingestCommand), containsString("--output="));
    assertThat(String.join(" ", ingestCommand), containsString("--regions="));
    assertTrue(
        "the ingest task reads the key",
        allowed(
            policies().get("ingest"),
            new Request(
                "secretsmanager:GetSecretValue",
                "aws_secretsmanager_secret.youtube_api_key.arn",
                Map.of())));
    assertThat(TEXT.get("ingest.tf"), containsString("count = local.batch_enabled ? 0 : 1"));
    assertNotNull(
        "the schedule runs the ECS task",
        map(map(resources("aws_scheduler_schedule").get("ingest")).get("target"))
            .get("ecs_parameters"));
    assertThat(
        "a failed ingest reaches the alarm topic",
        TEXT.get("ingest.tf"),
        containsString("arn  = aws_sns_topic.alarms.arn"));
    String ingestDoc = Files.readString(repoRoot.resolve("docs/ingest.md"));
    assertThat(
        "docs/ingest.md: no AWS Batch queue exists",
        ingestDoc,
        org.hamcrest.Matchers.not(containsString("batch:submitJob")));
    Map<String, Object> schedule = map(resources("aws_scheduler_schedule").get("batch"));
    assertThat(
        "the schedule starts the state machine",
        ref(map(schedule.get("target")).get("arn")),
        org.hamcrest.Matchers.startsWith("aws_sfn_state_machine.batch."));
  }

  /**
   * Also: EBS and local disks encrypted, IMDSv2 only, TLS between nodes when given a certificate.
   */
  @Test
  public void emrClusterHasASecurityConfiguration() {
    String emr = TEXT.get("emr.tf");
    for (String part :
        List.of(
            "EnableAtRestEncryption    = true",
            "EncryptionKeyProviderType = \"AwsKms\"",
            "AwsKmsKey                 = aws_kms_key.emr_disks[0].arn",
            "EnableEbsEncryption       = true",
            "EnableInTransitEncryption = var.emr_in_transit_tls_zip_key != null",
            "InTransitEncryptionConfiguration = local.emr_tls",
            "MinimumInstanceMetadataServiceVersion = 2")) {
      assertThat("emr.tf security configuration", emr, containsString(part));
    }
    assertTrue(
        "the EMR service role may use the disk key for EBS",
        allowed(
            policies().get("emr_service"),
            new Request(
                "kms:CreateGrant",
                "aws_kms_key.emr_disks.0.arn",
                Map.of("kms:GrantIsForAWSResource", "true"))));
  }

  // ---- IAM as data: the statements of local.policies (testkit's TerraformIam, Iam) ----------

  static Map<String, List<Statement>> policies() {
    return iam.policies();
  }

  static List<Statement> allowStatements() {
    return iam.allowStatements();
  }

  /** Whether an Allow statement of {@code policy} allows the request, as IAM decides. */
  static boolean allowed(List<Statement> policy, Request r) {
    return Iam.allows(policy, r);
  }

  private static final List<String> BUCKETS = List.of("bronze", "lake", "artifacts");

  /** A bucket's ARN as the policies spell it (hcl4j substitutes the locals it knows). */
  static String bucketArn(String bucket) {
    return iam.bucketArn(bucket);
  }

  private static Set<String> objectResources(String doc) {
    Set<String> out = new TreeSet<>();
    for (Statement st : policies().get(doc)) {
      for (String r : st.resources()) {
        if (BUCKETS.stream().anyMatch(b -> r.startsWith(bucketArn(b) + "/"))) {
          out.add(r);
        }
      }
    }
    return out;
  }

  // ---- helpers over hcl4j's model ------------------------------------------------------------

  /** A file's text with every run of white space one space, for expressions across lines. */
  private static String flat(String file) {
    return TEXT.get(file).replaceAll("\\s+", " ");
  }

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

  /** The ingest task runs the jar that has the ingest command: the ingest module's own. */
  @Test
  public void theIngestTaskRunsTheIngestJar() throws IOException {
    String key = (String) map(map(variables.get("variable")).get("ingest_jar_key")).get("default");
    String pom = Files.readString(repoRoot.resolve("ingest/pom.xml"));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "<outputFile>\\$\\{project.build.directory}/([^<]+)</outputFile>")
            .matcher(pom);
    assertTrue("ingest/pom.xml names its shaded jar", m.find());
    assertEquals("jars/" + m.group(1), key);
  }
}
