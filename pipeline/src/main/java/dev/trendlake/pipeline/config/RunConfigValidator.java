package dev.trendlake.pipeline.config;

import dev.trendlake.pipeline.commit.Increment;
import dev.trendlake.pipeline.commit.LakeState;
import dev.trendlake.pipeline.commit.QuarantineMetrics;
import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.pipeline.quality.QualityRules;
import dev.trendlake.pipeline.warehouse.WarehousePlan;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.Datasets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Makes a {@link RunConfig} from option values as text (a command line or a Managed Flink property
 * group), checking every option and every rule between options, and reporting all problems at once,
 * each naming the option and the form it takes. Nothing here talks to a network: reachability of S3
 * and the warehouse is checked at launch, by the runners module.
 *
 * <p>{@link #validate} is the list of what is checked, in the order users see the problems; each
 * concern's rules live in its own class ({@link StoreChecks}, {@link WarehouseChecks}, {@link
 * ContinuousChecks}, {@link QualityRulesOption}, {@link RunnerChoice}, {@link RunIds}, {@link
 * BeamErrors}), and {@link GivenOptions} reads single values in the same words everywhere.
 */
public final class RunConfigValidator {
  private RunConfigValidator() {}

  /** S3's smallest multipart part (except the last one). */
  public static final int MIN_UPLOAD_BUFFER_BYTES = StoreChecks.MIN_UPLOAD_BUFFER_BYTES;

  /** Options a user must fix; the message lists every problem, one per line. */
  public static final class InvalidOptions extends RuntimeException {
    private final List<String> problems;

    public InvalidOptions(List<String> problems) {
      super(String.join("\n  ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  /**
   * Checks the values (by option; absent means the default) and the extra Beam arguments.
   *
   * @throws InvalidOptions with every problem found
   */
  public static RunConfig validate(Map<RunOption, String> values, List<String> beamArgs) {
    return validate(values, beamArgs, Clock.systemUTC());
  }

  static RunConfig validate(Map<RunOption, String> values, List<String> beamArgs, Clock clock) {
    GivenOptions given = new GivenOptions(values);
    List<String> problems = new ArrayList<>();
    String input = StorePaths.absolute(given.value(RunOption.INPUT));
    String output = StorePaths.absolute(given.value(RunOption.OUTPUT));
    String datasetName = given.value(RunOption.DATASET).toLowerCase(Locale.ROOT);
    Dataset dataset = Datasets.byName(datasetName).orElse(null);
    if (dataset == null) {
      problems.add("--dataset must be one of " + Datasets.names() + ", got '" + datasetName + "'");
    }
    StoreChecks.checkLocations(
        given,
        input,
        output,
        (dataset == null ? Datasets.defaultDataset() : dataset).mainFolder(),
        ContinuousChecks.requested(given),
        problems);
    int maxMegabytes =
        given.positive(RunOption.MAX_FILE_MEGABYTES, "a whole number of megabytes", problems);
    String runId = given.get(RunOption.RUN_ID);
    RunIds.check(runId, problems);
    String runner = RunnerChoice.of(given.value(RunOption.RUNNER), problems);
    if (given.has(RunOption.PARALLELISM)) {
      given.positive(RunOption.PARALLELISM, "a whole number of slots", problems);
    }
    WarehousePlan warehouse = WarehouseChecks.plan(given, dataset, output, problems);
    StoreChecks.checkS3Client(given, problems);
    String namespace = given.get(RunOption.CLOUD_WATCH_NAMESPACE);
    problems.addAll(QuarantineMetrics.namespaceProblems(namespace));
    String mode = given.oneOf(RunOption.MODE, "incremental", "full", problems);
    String reprocess = given.oneOf(RunOption.REPROCESS, "none", "changed", problems);
    boolean breakLock = given.bool(RunOption.BREAK_LOCK, problems);
    ContinuousChecks.check(given, mode, dataset, datasetName, problems);
    String logFormat = given.oneOf(RunOption.LOG_FORMAT, "text", "json", problems);
    QualityRules rules = QualityRulesOption.load(given.get(RunOption.QUALITY_RULES), problems);
    if (given.has(RunOption.PROGRESS_INTERVAL)) {
      given.positive(RunOption.PROGRESS_INTERVAL, "a whole number of seconds", problems);
    }
    String quiet = given.get(RunOption.QUIET);
    if (quiet != null && !quiet.equalsIgnoreCase("true") && !quiet.equalsIgnoreCase("false")) {
      problems.add("--quiet takes true or false (or nothing, meaning true), got '" + quiet + "'");
    }
    BeamErrors.check(beamArgs, problems);
    if (!problems.isEmpty()) {
      throw new InvalidOptions(problems);
    }
    Instant now = clock.instant();
    return new RunConfig(
        input,
        output,
        (long) maxMegabytes << 20,
        runId != null ? runId : RunIds.newRunId(now),
        now.truncatedTo(ChronoUnit.MILLIS).toString(),
        runner,
        "",
        warehouse,
        null,
        namespace,
        logFormat,
        rules,
        given.asMap(),
        beamArgs,
        mode.equals("full"),
        reprocess.equals("changed"),
        breakLock,
        Increment.full(LakeState.EMPTY),
        dataset);
  }
}
