package dev.trendlake.pipeline.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The problems {@link RunConfigValidator} reports, word for word and in order: users read them and
 * the runners' tests match them, so several bad options are given at once to pin the order too.
 */
public class RunConfigValidatorTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-01-02T03:04:05.678Z"), ZoneOffset.UTC);

  @Test
  public void everyBadOptionIsNamedInOptionOrder() throws IOException {
    String missing = tmp.getRoot() + "/missing";
    File aFile = tmp.newFile("afile");
    String rules = tmp.getRoot() + "/norules.yaml";
    Map<RunOption, String> v = new EnumMap<>(RunOption.class);
    v.put(RunOption.DATASET, "Nope");
    v.put(RunOption.INPUT, missing);
    v.put(RunOption.OUTPUT, " " + aFile + " ");
    v.put(RunOption.MAX_FILE_MEGABYTES, "0");
    v.put(RunOption.RUN_ID, "bad id!");
    v.put(RunOption.RUNNER, " spark ");
    v.put(RunOption.PARALLELISM, "many");
    v.put(RunOption.WAREHOUSE_ATTEMPTS, "-1");
    v.put(RunOption.WAREHOUSE, "mysql://db/x");
    v.put(RunOption.WAREHOUSE_SCHEMA, "Bad-Schema");
    v.put(RunOption.WAREHOUSE_LOAD, "bulk");
    v.put(RunOption.S3_MAX_RETRIES, "-2");
    v.put(RunOption.S3_UPLOAD_BUFFER_SIZE_BYTES, "100");
    v.put(RunOption.S3_PATH_STYLE_ACCESS, "maybe");
    v.put(RunOption.ENDPOINT, "ftp://user:pw@minio:9000");
    v.put(RunOption.CLOUD_WATCH_NAMESPACE, "AWS/Mine");
    v.put(RunOption.MODE, "  Sideways ");
    v.put(RunOption.REPROCESS, "All");
    v.put(RunOption.BREAK_LOCK, "yes");
    v.put(RunOption.CONTINUOUS, "perhaps");
    v.put(RunOption.WATCH_INTERVAL, "PT1M");
    v.put(RunOption.LOG_FORMAT, "XML");
    v.put(RunOption.QUALITY_RULES, rules);
    v.put(RunOption.PROGRESS_INTERVAL, "0");
    v.put(RunOption.QUIET, "loud");
    assertProblems(
        v,
        List.of("stray", "--tempLocaton=/tmp/x"),
        "--dataset must be one of youtube|tmdb, got 'nope'",
        "--input " + missing + " is not a folder",
        "--output " + aFile + " is a file, not a folder: name a folder",
        "--maxFileMegabytes takes a whole number of megabytes greater than 0, got '0'",
        "--runId may hold only letters, digits, '.', '_' and '-' (1 to 64 of them), got 'bad id!'",
        "--runner must be auto, DirectRunner or FlinkRunner, got 'spark'",
        "--parallelism takes a whole number of slots greater than 0, got 'many'",
        "--warehouseAttempts takes a whole number of attempts greater than 0, got '-1'",
        "--warehouse must be none, embedded, or a jdbc:postgresql:// or jdbc:redshift:// URL"
            + " (got 'mysql://db/x')",
        "--warehouseSchema 'Bad-Schema' is not a valid name: use lower-case letters, digits and"
            + " '_', starting with a letter or '_', at most 63 characters",
        "--warehouseLoad must be jdbc or copy (got 'bulk')",
        "--s3MaxRetries takes a whole number, 0 or more, got '-2'",
        "--s3UploadBufferSizeBytes must be at least 5242880 (5 MiB, the smallest part S3"
            + " accepts); the default is "
            + RunOption.S3_UPLOAD_BUFFER_SIZE_BYTES.defaultValue(),
        "--s3PathStyleAccess takes true or false, got 'maybe'",
        "--endpoint takes an http:// or https:// URL without user info, e.g."
            + " http://minio.local:9000, got 'ftp://****@minio:9000'",
        "--cloudWatchNamespace must not start with AWS/ (reserved for AWS services)",
        "--mode must be incremental or full, got 'sideways'",
        "--reprocess must be none or changed, got 'all'",
        "--breakLock takes true or false, got 'yes'",
        "--continuous takes true or false, got 'perhaps'",
        "--watchInterval works only with --continuous",
        "--logFormat must be text or json, got 'xml'",
        "--qualityRules " + rules + " is not a file: name a YAML or JSON rules file",
        "--progressInterval takes a whole number of seconds greater than 0, got '0'",
        "--quiet takes true or false (or nothing, meaning true), got 'loud'",
        "'stray' is not an option: options take the form --name=value (see --help)",
        "unknown option --tempLocaton; 'trendlake run --help' lists trendlake's options,"
            + " --help=all Beam's");
  }

  @Test
  public void continuousProblemsComeAfterTheStoreAndWarehouseOnes() {
    Map<RunOption, String> v = new EnumMap<>(RunOption.class);
    v.put(RunOption.DATASET, "tmdb");
    v.put(RunOption.INPUT, "s3://");
    v.put(RunOption.OUTPUT, "gs://bucket/lake/");
    v.put(RunOption.CONTINUOUS, "TRUE");
    v.put(RunOption.WATCH_INTERVAL, "PT0S");
    v.put(RunOption.COMMIT_DELAY, "-PT1S");
    v.put(RunOption.STOP_WHEN_IDLE, "soon");
    v.put(RunOption.RUN_ID, "a".repeat(60));
    v.put(RunOption.MODE, "full");
    v.put(RunOption.QUALITY_RULES, "s3:///rules.yaml");
    v.put(RunOption.WAREHOUSE, "jdbc:redshift://cluster:5439/dev");
    v.put(RunOption.WAREHOUSE_LOAD, "copy");
    assertProblems(
        v,
        List.of(),
        "--input s3:// names no bucket: use s3://bucket/prefix",
        "--output gs://bucket/lake: only local folders and s3://bucket/prefix are supported",
        "--warehouseLoad=copy needs an s3:// --output: Redshift COPY reads the gold Parquet"
            + " from S3",
        "--redshiftCopyRoleArn 'null' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
        "--warehouseLoad=copy is not built for --dataset=tmdb yet: use --warehouseLoad=jdbc (its"
            + " default)",
        "--watchInterval takes an ISO-8601 duration greater than zero such as PT10S or PT5M, got"
            + " 'PT0S'",
        "--commitDelay takes an ISO-8601 duration (PT0S or more) such as PT10S or PT5M, got"
            + " '-PT1S'",
        "--stopWhenIdle takes an ISO-8601 duration greater than zero such as PT10S or PT5M, got"
            + " 'soon'",
        "--runId of a continuous run is at most 58 characters (its commits are <run-id>.NNNNN),"
            + " got 60",
        "--mode=full recomputes the lake once and can't be continuous: run it on its own, then"
            + " start --continuous, which goes on from the lake it left",
        "--qualityRules is not applied by a continuous run yet: its commits pass no quality gate"
            + " (docs/continuous.md); check the rules with a run without --continuous",
        "--continuous serves the youtube dataset for now, not --dataset=tmdb: run it in batch"
            + " (incremental runs take only its new files)",
        "--qualityRules s3:///rules.yaml names no bucket: use s3://bucket/prefix");
  }

  @Test
  public void localFoldersAreCheckedForLayoutNestingAndWriting() throws IOException {
    File bronze = tmp.newFolder("bronze");
    String lake = bronze + "/lake";
    Map<RunOption, String> v = new EnumMap<>(RunOption.class);
    v.put(RunOption.INPUT, bronze.toString());
    v.put(RunOption.OUTPUT, lake);
    assertProblems(
        v,
        List.of(),
        "--input "
            + bronze
            + " has no raw_statistics/ folder: is it a bronze root of this --dataset?",
        "--output " + lake + " and --input " + bronze + " must not contain each other");

    File aFile = tmp.newFile("afile");
    File rules = tmp.newFile("rules.yaml");
    Files.writeString(rules.toPath(), "rules:\n  - name: x\n    check: nothing\n");
    v.put(RunOption.OUTPUT, aFile + "/lake");
    v.put(RunOption.CONTINUOUS, "true");
    v.put(RunOption.QUALITY_RULES, rules.toString());
    assertProblems(
        v,
        List.of(),
        "--output "
            + aFile
            + "/lake can't be written: "
            + aFile
            + " is not writable; name a folder this user may write to",
        "--qualityRules is not applied by a continuous run yet: its commits pass no quality gate"
            + " (docs/continuous.md); check the rules with a run without --continuous",
        rules
            + ": rule 'x': field 'check' must be one of quarantine_ratio, unknown_category_ratio,"
            + " duplicate_ratio, volume_change, freshness_days, views_monotonic, null_ratio,"
            + " min_rows, got 'nothing'",
        rules
            + ": rule 'x': needs a threshold: field 'max' (e.g. max: 0.02) or 'min' (e.g. min:"
            + " 100)",
        rules + ": rule 'x': field 'severity' is missing");
  }

  @Test
  public void goodOptionsMakeTheConfig() throws IOException {
    File bronze = tmp.newFolder("bronze", "raw_statistics").getParentFile();
    String lake = tmp.getRoot() + "/lake";
    Map<RunOption, String> v = new EnumMap<>(RunOption.class);
    v.put(RunOption.INPUT, bronze + "/");
    v.put(RunOption.OUTPUT, " " + lake);
    v.put(RunOption.QUIET, null);
    RunConfig c = RunConfigValidator.validate(v, List.of("--tempLocation=/tmp/x"), CLOCK);
    assertEquals(bronze.toString(), c.input());
    assertEquals(lake, c.output());
    assertEquals(256L << 20, c.maxBytesPerFile());
    assertTrue(c.runId(), c.runId().matches("20240102T030405Z-[0-9a-f]{6}"));
    assertEquals("2024-01-02T03:04:05.678Z", c.startedAt());
    assertEquals("auto", c.runner());
    assertEquals("embedded", c.warehouse().kind());
    assertEquals("text", c.logFormat());
    assertNotNull(c.qualityRules());
    assertEquals(Map.of(RunOption.INPUT, bronze + "/", RunOption.OUTPUT, lake), c.given());
    assertEquals(List.of("--tempLocation=/tmp/x"), c.beamArgs());
    assertFalse(c.full() || c.reprocessChanged() || c.breakLock() || c.continuous());
    assertEquals("youtube", c.dataset().name());

    v.put(RunOption.RUN_ID, "my.run-1");
    v.put(RunOption.RUNNER, "org.apache.beam.runners.flink.FlinkRunner");
    v.put(RunOption.MODE, "FULL");
    v.put(RunOption.REPROCESS, "changed");
    v.put(RunOption.BREAK_LOCK, "True");
    v.put(RunOption.WAREHOUSE, "none");
    v.put(RunOption.LOG_FORMAT, "json");
    c = RunConfigValidator.validate(v, List.of(), CLOCK);
    assertEquals("my.run-1", c.runId());
    assertEquals("FlinkRunner", c.runner());
    assertEquals("none", c.warehouse().kind());
    assertEquals("json", c.logFormat());
    assertTrue(c.full() && c.reprocessChanged() && c.breakLock());
    v.put(RunOption.RUNNER, "direct");
    assertEquals("DirectRunner", RunConfigValidator.validate(v, List.of(), CLOCK).runner());
  }

  private static void assertProblems(
      Map<RunOption, String> values, List<String> beamArgs, String... expected) {
    RunConfigValidator.InvalidOptions e =
        assertThrows(
            RunConfigValidator.InvalidOptions.class,
            () -> RunConfigValidator.validate(values, beamArgs, CLOCK));
    assertEquals(String.join("\n", expected), String.join("\n", e.problems()));
  }
}
