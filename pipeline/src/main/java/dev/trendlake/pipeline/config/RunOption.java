package dev.trendlake.pipeline.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every option of {@code trendlake run}, declared once: its name, the group its help is shown in,
 * the accepted form, the default and what it means. The command line ({@code runners/}), the
 * Managed Flink property group, the help text, the validator ({@link RunConfigValidator}) and the
 * Terraform checks all read this list, so an option can't be known to one and missing from another.
 *
 * <p>Options marked {@link #beam()} are Beam's (or trendlake's S3 client options, which Beam's
 * workers read): after validation they are handed to Beam as {@code --name=value}. Any other {@code
 * --option} on a command line is passed to Beam as it is, and Beam's own check names it when it
 * doesn't exist.
 *
 * <p>There is deliberately no password option: options end up in display data, logs and the Flink
 * job graph. A warehouse password comes from {@code TRENDLAKE_WAREHOUSE_PASSWORD} or AWS Secrets
 * Manager.
 */
public enum RunOption {
  DATASET(
      "dataset",
      Group.INPUT_OUTPUT,
      "youtube|tmdb",
      "youtube",
      "Which dataset the bronze root holds: youtube (trending statistics CSV and category JSON) or"
          + " tmdb (TMDB TV list responses under raw_tmdb/shows/ and genres under"
          + " raw_tmdb/genres/). An output holds one dataset's lake."),
  INPUT(
      "input",
      Group.INPUT_OUTPUT,
      "<folder or s3://bucket/prefix>",
      "testdata/bronze",
      "Bronze root to read: for youtube raw_statistics/**/region=<xx>/**.csv and"
          + " raw_statistics_reference_data/**/<XX>_category_id.json below it; for tmdb"
          + " raw_tmdb/shows/data_type=<list>/dt=<yyyy-mm-dd>/*.json and raw_tmdb/genres/*.json."),
  OUTPUT(
      "output",
      Group.INPUT_OUTPUT,
      "<folder or s3://bucket/prefix>",
      "lake",
      "Output root: silver/, gold/, quarantine/ and _manifests/ are written below it; the run"
          + " replaces the partitions it writes."),
  MAX_FILE_MEGABYTES(
      "maxFileMegabytes",
      Group.INPUT_OUTPUT,
      "<MiB>",
      "256",
      "A partition rolls over to a new Parquet file after this much source CSV."),
  RUN_ID(
      "runId",
      Group.INPUT_OUTPUT,
      "<id>",
      null,
      "Names the manifest and the staging folder (default: UTC time + random); letters, digits,"
          + " '.', '_' and '-'."),
  MODE(
      "mode",
      Group.INPUT_OUTPUT,
      "incremental|full",
      "incremental",
      "incremental reads only the bronze files the lake has not processed and rewrites only the"
          + " partitions their rows reach; full recomputes everything. The first run on an empty"
          + " output is full either way."),
  REPROCESS(
      "reprocess",
      Group.INPUT_OUTPUT,
      "none|changed",
      "none",
      "What an incremental run does with processed files that changed or disappeared since:"
          + " none refuses to run and names them; changed retracts their rows and reads their"
          + " new version."),
  BREAK_LOCK(
      "breakLock",
      Group.INPUT_OUTPUT,
      "true|false",
      "false",
      "Remove the lock a killed run left on the output (the message says whose it was). Only a"
          + " stale lock is removed: its process has ended on this host, or its heartbeat stopped"
          + " three minutes ago."),
  CONTINUOUS(
      "continuous",
      Group.CONTINUOUS,
      "true|false",
      "false",
      "Run until stopped: bronze is watched, each new file is read once and each partition its"
          + " rows reach is committed --commitDelay after its first new row (docs/continuous.md)."),
  WATCH_INTERVAL(
      "watchInterval",
      Group.CONTINUOUS,
      "<ISO-8601 duration>",
      "PT1M",
      "--continuous: how often bronze is listed for new and changed files, e.g. PT10S."),
  COMMIT_DELAY(
      "commitDelay",
      Group.CONTINUOUS,
      "<ISO-8601 duration>",
      "PT1M",
      "--continuous: how long a partition collects new rows, from its first one, before it is"
          + " committed; longer means fewer, larger commits."),
  STOP_WHEN_IDLE(
      "stopWhenIdle",
      Group.CONTINUOUS,
      "<ISO-8601 duration>",
      null,
      "--continuous: end the job once everything read is committed and no new file has come for"
          + " this long (default: run until stopped)."),
  RUNNER(
      "runner",
      Group.RUNNER,
      "auto|DirectRunner|FlinkRunner",
      "auto",
      "auto picks the DirectRunner for small inputs and the embedded Flink cluster for large ones;"
          + " the summary says which and why."),
  PARALLELISM(
      "parallelism",
      Group.RUNNER,
      "<n>",
      null,
      "Flink: parallel slots (default: the machine's cores).",
      true),
  FLINK_MASTER(
      "flinkMaster",
      Group.RUNNER,
      "[local]|[auto]|<host:port>",
      null,
      "Flink: the cluster to run on ([local]: an embedded one; default [local], or the client's"
          + " cluster inside 'flink run').",
      true),
  WAREHOUSE(
      "warehouse",
      Group.WAREHOUSE,
      "none|embedded|<jdbc url>",
      null,
      "Star schema to load after gold is committed: none, embedded (a local PostgreSQL 17 under"
          + " <output>/warehouse; the default for a local --output), or jdbc:postgresql:// or"
          + " jdbc:redshift:// (no password in the URL; default none for an s3:// --output)."),
  WAREHOUSE_USER(
      "warehouseUser",
      Group.WAREHOUSE,
      "<user>",
      null,
      "Warehouse user (default: the username of --warehouseSecretArn, or postgres for embedded)."),
  WAREHOUSE_SCHEMA(
      "warehouseSchema",
      Group.WAREHOUSE,
      "<name>",
      "trendlake",
      "Schema that holds the star schema; created if absent."),
  WAREHOUSE_SECRET_ARN(
      "warehouseSecretArn",
      Group.WAREHOUSE,
      "<arn>",
      null,
      "AWS Secrets Manager secret holding the warehouse credentials ({\"username\": ...,"
          + " \"password\": ...}); without it the password comes from"
          + " TRENDLAKE_WAREHOUSE_PASSWORD."),
  WAREHOUSE_LOAD(
      "warehouseLoad",
      Group.WAREHOUSE,
      "jdbc|copy",
      "jdbc",
      "jdbc: COPY protocol on PostgreSQL, batched inserts on Redshift; copy: Redshift COPY from the"
          + " gold Parquet in S3 (needs --redshiftCopyRoleArn and an s3:// --output)."),
  REDSHIFT_COPY_ROLE_ARN(
      "redshiftCopyRoleArn",
      Group.WAREHOUSE,
      "<arn>",
      null,
      "IAM role Redshift assumes to read the gold Parquet for --warehouseLoad=copy."),
  WAREHOUSE_ATTEMPTS(
      "warehouseAttempts",
      Group.WAREHOUSE,
      "<n>",
      "5",
      "Attempts per warehouse step before the run fails (connection lost, server restarting)."),
  AWS_REGION(
      "awsRegion",
      Group.S3,
      "<region>",
      null,
      "The buckets' region (default: AWS_REGION or the profile's region).",
      true),
  ENDPOINT(
      "endpoint",
      Group.S3,
      "<url>",
      null,
      "A store other than AWS S3, e.g. http://minio.local:9000.",
      true),
  S3_PATH_STYLE_ACCESS(
      "s3PathStyleAccess",
      Group.S3,
      "true|false",
      "false",
      "Address buckets as <endpoint>/<bucket>; most S3-compatible stores (MinIO, Ceph, s3mock)"
          + " need it.",
      true),
  S3_MAX_RETRIES(
      "s3MaxRetries",
      Group.S3,
      "<n>",
      "10",
      "Retries of one S3 request after 503 SlowDown, a 5xx or a lost connection, with"
          + " exponential backoff.",
      true),
  S3_UPLOAD_BUFFER_SIZE_BYTES(
      "s3UploadBufferSizeBytes",
      Group.S3,
      "<bytes>",
      "8388608",
      "Memory per file being written to S3, and its multipart part size (at least 5 MiB).",
      true),
  CLOUD_WATCH_NAMESPACE(
      "cloudWatchNamespace",
      Group.QUALITY,
      "<namespace>",
      null,
      "Publish the run's quality metrics (QuarantineRatio, counts per region) to this CloudWatch"
          + " namespace after the commit (a continuous run: after each commit, with Commits and"
          + " FilesCommitted); unset: publish nothing."),
  QUALITY_RULES(
      "qualityRules",
      Group.QUALITY,
      "<file or s3://bucket/key>",
      null,
      "Data-quality rules (YAML or JSON) the run must pass before its commit; a failed fail rule"
          + " rejects the run (exit status 3). Default: the rules in the jar (docs/quality.md)."),
  LOG_FORMAT(
      "logFormat",
      Group.QUALITY,
      "text|json",
      "text",
      "Log lines as text, or as JSON lines for log shippers (CloudWatch, EMR); progress lines"
          + " follow it."),
  PROGRESS_INTERVAL(
      "progressInterval",
      Group.QUALITY,
      "<seconds>",
      "3",
      "Seconds between progress lines on stderr (files and bytes read, rows/s, partitions, ETA)."),
  QUIET(
      "quiet",
      Group.QUALITY,
      "true|false",
      "false",
      "No progress lines (--quiet alone means true); the summary is still printed.");

  /** The help sections, in the order they are shown. */
  public enum Group {
    INPUT_OUTPUT("Input and output"),
    CONTINUOUS("Continuous mode"),
    RUNNER("Runner"),
    WAREHOUSE("Warehouse"),
    S3("S3 and S3-compatible stores"),
    QUALITY("Quality, metrics and logs");

    private final String heading;

    Group(String heading) {
      this.heading = heading;
    }

    public String heading() {
      return heading;
    }
  }

  private final String optionName;
  private final Group group;
  private final String form;
  private final String defaultValue;
  private final String description;
  private final boolean beam;

  RunOption(String name, Group group, String form, String defaultValue, String description) {
    this(name, group, form, defaultValue, description, false);
  }

  RunOption(
      String name,
      Group group,
      String form,
      String defaultValue,
      String description,
      boolean beam) {
    this.optionName = name;
    this.group = group;
    this.form = form;
    this.defaultValue = defaultValue;
    this.description = description;
    this.beam = beam;
  }

  /** The name on the command line without {@code --}, and in the Managed Flink property group. */
  public String optionName() {
    return optionName;
  }

  public String flag() {
    return "--" + optionName;
  }

  public Group group() {
    return group;
  }

  /** The accepted form, as help and error messages show it. */
  public String form() {
    return form;
  }

  /** The default as text, or null where there is none (or it depends on other options). */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** True when Beam (or its workers) read this option too: it is passed on as given. */
  public boolean beam() {
    return beam;
  }

  /** Every option name, for checks that something names only real options. */
  public static List<String> names() {
    return Arrays.stream(values()).map(RunOption::optionName).toList();
  }

  /** The option of that name (case-insensitive, with or without {@code --}). */
  public static Optional<RunOption> byName(String name) {
    String n = name.startsWith("--") ? name.substring(2) : name;
    for (RunOption o : values()) {
      if (o.optionName.toLowerCase(Locale.ROOT).equals(n.toLowerCase(Locale.ROOT))) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }
}
