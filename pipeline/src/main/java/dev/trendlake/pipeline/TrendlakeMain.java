package dev.trendlake.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.QuarantineMetrics;
import dev.trendlake.pipeline.io.RunInfo;
import dev.trendlake.pipeline.s3.S3Launch;
import dev.trendlake.pipeline.s3.S3Store;
import dev.trendlake.pipeline.warehouse.LoadWarehouse;
import dev.trendlake.pipeline.warehouse.WarehouseException;
import dev.trendlake.pipeline.warehouse.WarehouseSetup;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code trendlake run}: parses options, builds the graph with {@link TrendlakePipeline#build},
 * runs it on the runner chosen at launch, and prints a summary from the run manifest. Exit status 0
 * on success, 1 when the run failed, 2 for bad options.
 */
public final class TrendlakeMain {
  private TrendlakeMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Thrown for options a user must fix; the message says what and how. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }

  /** Options parsed and checked, paths made absolute, ready to build a graph. */
  public record Prepared(
      TrendlakeOptions options,
      String input,
      String output,
      RunInfo info,
      WarehouseSetup.Plan warehouse) {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    long launched = System.currentTimeMillis(); // start-up is measured from here (StageTimes)
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h") || a.startsWith("--help=")) {
        printHelp(out);
        return 0;
      }
    }
    Prepared prep;
    try {
      prep = prepare(args);
    } catch (UsageException e) {
      err.println("trendlake: " + e.getMessage());
      err.println("Run './trendlake run --help' for the options.");
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("trendlake: " + e.getMessage());
      err.println("Run './trendlake run --help' for the options.");
      return 2;
    } catch (S3Store.Unusable e) {
      err.println(
          "trendlake: the S3 store can't be used, so the run did not start:\n  " + e.getMessage());
      return 2;
    }
    Instant start = Instant.now();
    WarehouseSetup.Session warehouse;
    try {
      warehouse = WarehouseSetup.open(prep.warehouse());
    } catch (WarehouseException e) {
      err.println("trendlake: " + e.getMessage());
      return 1;
    }
    PipelineResult result = null;
    try {
      Pipeline p = Pipeline.create(prep.options());
      TrendlakePipeline.Outputs outputs =
          TrendlakePipeline.build(
              p,
              prep.input(),
              prep.output(),
              (long) prep.options().getMaxFileMegabytes() << 20,
              prep.info(),
              warehouse != null,
              prep.options().getCloudWatchNamespace());
      if (warehouse != null) {
        outputs
            .gold()
            .apply(
                "LoadWarehouse",
                new LoadWarehouse(
                    warehouse.target(),
                    prep.info().runId(),
                    prep.output() + "/" + OutputPaths.GOLD_TRENDING,
                    outputs.categories(),
                    outputs.finished()));
      }
      result = p.run();
      PipelineResult.State state = result.waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        err.println("trendlake: the run ended in state " + state);
        return 1;
      }
      double secs = ChronoUnit.MILLIS.between(start, Instant.now()) / 1000.0;
      Map<String, Double> stages = StageTimes.of(result, launched);
      printSummary(out, prep, secs, stages);
      if (warehouse != null) {
        WarehouseSetup.remember(prep.warehouse());
        WarehouseSetup.printSummary(out, warehouse);
      }
    } catch (RuntimeException e) {
      String warehouseFailure = warehouseFailure(e);
      if (warehouseFailure != null) {
        err.println("trendlake: the warehouse load failed: " + warehouseFailure);
        err.println(
            "Gold, silver and the run manifest were committed to "
                + prep.output()
                + "; run again to complete the warehouse load (it is idempotent), or use"
                + " --warehouse=none.");
        return 1;
      }
      cancelQuietly(result);
      reportFailure(err, prep, e);
      return 1;
    } finally {
      if (warehouse != null) {
        warehouse.close();
      }
    }
    return 0;
  }

  /**
   * The message of a warehouse failure anywhere in the cause chain (runners wrap it), else null.
   */
  static String warehouseFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof WarehouseException) {
        return t.getMessage();
      }
      String s = String.valueOf(t);
      String name = WarehouseException.class.getName() + ": ";
      if (s.startsWith(name)) {
        return s.substring(name.length());
      }
    }
    return null;
  }

  /** Parses and checks options, reporting every problem at once. */
  public static Prepared prepare(String[] args) {
    PipelineOptionsFactory.register(TrendlakeOptions.class);
    TrendlakeOptions o =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(TrendlakeOptions.class);
    List<String> problems = new ArrayList<>();
    String input = absolute(o.getInput());
    String output = absolute(o.getOutput());
    problems.addAll(S3Launch.apply(o, args));
    S3Launch.settleRegion(
        o,
        args,
        S3Launch.isS3(input) || S3Launch.isS3(output),
        o.getCloudWatchNamespace() != null || o.getWarehouseSecretArn() != null);
    if (isLocal(input)) {
      Path in = Paths.get(input);
      if (!Files.isDirectory(in)) {
        problems.add("--input " + o.getInput() + " is not a folder");
      } else if (!Files.isDirectory(in.resolve("raw_statistics"))) {
        problems.add(
            "--input " + o.getInput() + " has no raw_statistics/ folder: is it a bronze root?");
      }
    }
    if (isLocal(input) && isLocal(output)) {
      Path in = Paths.get(input);
      Path outp = Paths.get(output);
      if (outp.startsWith(in) || in.startsWith(outp)) {
        problems.add(
            "--output "
                + o.getOutput()
                + " and --input "
                + o.getInput()
                + " must not contain each other");
      }
    }
    if (o.getMaxFileMegabytes() <= 0) {
      problems.add("--maxFileMegabytes must be a positive number of megabytes");
    }
    WarehouseSetup.Plan warehouse = WarehouseSetup.check(o, output, isLocal(output), problems);
    problems.addAll(QuarantineMetrics.namespaceProblems(o.getCloudWatchNamespace()));
    if (!problems.isEmpty()) {
      throw new UsageException(String.join("\n  ", problems));
    }
    String runId = o.getRunId() != null ? o.getRunId() : newRunId();
    if (!runId.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new UsageException("--runId may hold only letters, digits, '.', '_' and '-'");
    }
    o.setRunId(runId);
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("input", input);
    shown.put("output", output);
    shown.put("warehouse", warehouse.shown());
    shown.put("maxFileMegabytes", String.valueOf(o.getMaxFileMegabytes()));
    boolean s3 = S3Launch.isS3(input) || S3Launch.isS3(output);
    if (s3) {
      shown.put("endpoint", S3Launch.describeEndpoint(o));
      shown.put("s3PathStyleAccess", String.valueOf(o.getS3PathStyleAccess()));
      shown.put("s3UploadBufferSizeBytes", String.valueOf(o.getS3UploadBufferSizeBytes()));
    }
    RunInfo info =
        RunInfo.of(
            runId,
            Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
            o.getRunner().getSimpleName(),
            input,
            output,
            shown);
    if (s3) {
      S3Store.check(o, input, output, runId);
    }
    return new Prepared(o, input, output, info, warehouse);
  }

  /**
   * Says why a run failed in one message (naming the S3 endpoint and bucket when S3 was the cause),
   * what state the output is in, and removes what the run staged on S3.
   */
  static void reportFailure(PrintStream err, Prepared prep, RuntimeException e) {
    TrendlakeOptions o = prep.options();
    List<String> buckets = new ArrayList<>();
    for (String path : List.of(prep.input(), prep.output())) {
      if (S3Launch.isS3(path) && !buckets.contains(S3Store.Location.of(path).bucket())) {
        buckets.add(S3Store.Location.of(path).bucket());
      }
    }
    String why =
        buckets.isEmpty()
            ? rootMessage(e)
            : S3Store.describeFailure(e, o, buckets).orElse(rootMessage(e));
    err.println("trendlake: the run failed: " + why);
    String manifest =
        prep.output() + "/" + OutputPaths.MANIFESTS + "/" + prep.info().runId() + ".json";
    String status =
        S3Launch.isS3(prep.output())
            ? S3Store.manifestStatus(o, manifest)
            : manifestStatus(manifest);
    if ("committing".equals(status)) {
      err.println(
          "The run failed while committing: some partitions of "
              + prep.output()
              + " already hold its files. "
              + OutputPaths.MANIFESTS
              + "/latest.json still names the last complete run; run again to finish.");
    } else {
      err.println(
          "Nothing was committed to " + prep.output() + "; earlier output there is unchanged.");
    }
    if (S3Launch.isS3(prep.output())) {
      err.println("Staging: " + S3Store.removeStaging(o, prep.output(), prep.info().runId()) + ".");
    }
  }

  /** Stops what is still running of a failed pipeline, so cleanup does not race its workers. */
  private static void cancelQuietly(PipelineResult result) {
    if (result != null) {
      try {
        result.cancel();
      } catch (IOException | RuntimeException ignored) {
        // already failed or finished: nothing left to stop
      }
    }
  }

  /** The status in a run manifest, or null when it can't be read (not written, store down). */
  static String manifestStatus(String path) {
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)))) {
      return new ObjectMapper().readTree(in).path("status").asText(null);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static String newRunId() {
    byte[] b = new byte[3];
    new SecureRandom().nextBytes(b);
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC)
            .format(Instant.now())
        + "-"
        + HexFormat.of().formatHex(b);
  }

  static boolean isLocal(String path) {
    return !path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || path.startsWith("file://");
  }

  /**
   * Local paths become absolute and normalised; URIs (s3://...) are kept, without a trailing slash.
   */
  static String absolute(String path) {
    if (!isLocal(path)) {
      return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
    String p = path.startsWith("file://") ? path.substring(7) : path;
    return Paths.get(p).toAbsolutePath().normalize().toString();
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    String best = e.getMessage();
    while (t != null) {
      if (t.getMessage() != null
          && !(t.getCause() != null && t.getMessage().equals(String.valueOf(t.getCause())))) {
        best =
            t.getClass().getSimpleName().equals("IllegalStateException")
                    || t.getClass().getSimpleName().endsWith("IOException")
                ? t.getMessage()
                : best;
      }
      if (t.getCause() == null || t.getCause() == t) {
        break;
      }
      t = t.getCause();
    }
    String last = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
    return best != null && best.length() < 4000 ? best : last;
  }

  static void printHelp(PrintStream out) {
    out.println("Usage: ./trendlake run [--option=value ...]");
    out.println();
    out.println(
        "Reads bronze statistics CSV and category JSON, writes silver and gold Parquet"
            + " (Hive-partitioned by");
    out.println(
        "region and trending_date), quarantines bad records with the reason, and writes a run"
            + " manifest.");
    out.println("With no options: --input=testdata/bronze --output=lake on the DirectRunner.");
    out.println();
    out.println("Examples:");
    out.println("  ./trendlake run");
    out.println(
        "  ./trendlake run --input=/data/bronze --output=/data/lake --runner=FlinkRunner"
            + " --parallelism=2");
    out.println();
    out.println("S3 and S3-compatible stores (MinIO, Ceph, LocalStack, ...):");
    out.println(
        "  --input and --output each take a local folder or s3://bucket/prefix, in any mix.");
    out.println(
        "  Credentials come from the AWS default chain: AWS_ACCESS_KEY_ID +"
            + " AWS_SECRET_ACCESS_KEY,");
    out.println(
        "  AWS_PROFILE, or an instance, task or web-identity role. Never put a key on the command"
            + " line.");
    out.println(
        "  --awsRegion=<region>        the buckets' region (default: AWS_REGION or the profile's"
            + " region)");
    out.println(
        "  --endpoint=<url>            a store other than AWS S3, e.g. http://minio.local:9000");
    out.println(
        "  --s3PathStyleAccess=true    address buckets as <endpoint>/<bucket>; most S3-compatible"
            + " stores need it");
    out.println(
        "  --awsCredentialsProvider=   another provider, e.g. '{\"@type\":"
            + " \"ProfileCredentialsProvider\", \"profileName\": \"lake\"}'");
    out.println(
        "  --s3UploadBufferSizeBytes=  memory per file being written to S3 (default 8388608 = 8"
            + " MiB, at least 5 MiB)");
    out.println(
        "  --s3MaxRetries=<n>          retries of one request on 503 SlowDown, 5xx or a lost"
            + " connection (default 10)");
    out.println(
        "  Before any work starts the run checks that it can list the input and write the output,"
            + " and stops with");
    out.println(
        "  one message naming the endpoint and bucket if not. docs/s3.md lists the IAM permissions"
            + " it needs.");
    out.println("  MinIO example:");
    out.println("    export AWS_ACCESS_KEY_ID=minioadmin AWS_SECRET_ACCESS_KEY=minioadmin");
    out.println("    ./trendlake run --input=s3://bronze/youtube --output=s3://lake/youtube \\");
    out.println(
        "        --endpoint=http://localhost:9000 --awsRegion=us-east-1 --s3PathStyleAccess=true");
    out.println();
    PipelineOptionsFactory.printHelp(out, TrendlakeOptions.class);
  }

  static void printSummary(
      PrintStream out, Prepared prep, double secs, Map<String, Double> stages) {
    String manifest =
        prep.output() + "/" + OutputPaths.MANIFESTS + "/" + prep.info().runId() + ".json";
    JsonNode m;
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(manifest, false)))) {
      m = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      out.println(
          "trendlake: run "
              + prep.info().runId()
              + " finished, but its manifest could not be read: "
              + e.getMessage());
      return;
    }
    JsonNode t = m.path("totals");
    out.printf(
        Locale.ROOT,
        "trendlake run %s %s in %.1f s on %s%n",
        m.path("run_id").asText(),
        m.path("status").asText(),
        secs,
        m.path("runner").asText());
    if (!stages.isEmpty()) {
      out.println("  stages: " + StageTimes.describe(stages));
    }
    long files = 0;
    for (JsonNode f : m.path("files")) {
      if ("statistics".equals(f.path("kind").asText())) {
        files++;
      }
    }
    out.printf(
        Locale.ROOT,
        "  read %d records from %d statistics files: %d to silver, %d quarantined, %d duplicates,"
            + " %d encoding repairs%n",
        t.path("records").asLong(),
        files,
        t.path("silver").asLong(),
        t.path("quarantined").asLong(),
        t.path("duplicates").asLong(),
        t.path("encoding_repairs").asLong());
    out.println();
    out.printf(
        Locale.ROOT, "  %-8s %10s %10s %17s%n", "region", "silver", "gold", "unknown_category");
    for (Iterator<Map.Entry<String, JsonNode>> it = m.path("regions").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.printf(
          Locale.ROOT,
          "  %-8s %10d %10d %17d%n",
          e.getKey(),
          e.getValue().path("silver").asLong(),
          e.getValue().path("gold").asLong(),
          e.getValue().path("unknown_category").asLong());
    }
    JsonNode reasons = t.path("quarantined_by_reason");
    if (reasons.size() > 0) {
      out.println();
      out.println("  quarantined by reason:");
      for (Iterator<Map.Entry<String, JsonNode>> it = reasons.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.printf(Locale.ROOT, "    %-24s %8d%n", e.getKey(), e.getValue().asLong());
      }
    }
    JsonNode o = m.path("outputs");
    out.println();
    out.println("  written to:");
    out.println(
        "    gold        " + o.path("gold").asText() + "/region=<xx>/trending_date=<yyyy-mm-dd>/");
    out.println(
        "    silver      "
            + o.path("silver_statistics").asText()
            + ", "
            + o.path("silver_categories").asText());
    out.println("    quarantine  " + o.path("quarantine").asText());
    out.println("    manifest    " + manifest);
  }
}
