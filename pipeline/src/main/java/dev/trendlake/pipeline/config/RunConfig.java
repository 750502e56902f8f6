package dev.trendlake.pipeline.config;

import dev.trendlake.pipeline.commit.Increment;
import dev.trendlake.pipeline.commit.RunInfo;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.pipeline.quality.QualityRules;
import dev.trendlake.pipeline.warehouse.WarehousePlan;
import dev.trendlake.pipeline.warehouse.WarehouseTarget;
import dev.trendlake.transforms.Dataset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's settings, checked and immutable: made only by {@link RunConfigValidator}, which reports
 * every problem at once. The graph ({@code TrendlakePipeline.build}) takes its values from here,
 * never from Beam's options object; the launcher fills in what only exists at launch (the runner
 * {@code auto} chose, the embedded warehouse's address) with the {@code with...} copies.
 *
 * @param input bronze root: an absolute local path or an {@code s3://} URI without trailing slash
 * @param output output root, same form
 * @param runner {@code auto}, {@code DirectRunner} or {@code FlinkRunner}
 * @param runnerReason why the runner was chosen, for the summary (empty when the user chose it)
 * @param warehouseTarget null until the launcher opened the planned warehouse (or none planned)
 * @param qualityRules the rules the run must pass before its commit; null only while an {@code
 *     s3://} rules file is still to be read at launch ({@link #withQualityRules})
 * @param given the value of every option the user set, by option (defaults not included)
 * @param beamArgs options for Beam that are not trendlake's, passed on as given
 * @param full {@code --mode=full}: recompute everything
 * @param reprocessChanged {@code --reprocess=changed}
 * @param breakLock {@code --breakLock}
 * @param increment what this run reads and rewrites, settled at launch from the committed state
 * @param dataset what the bronze root holds ({@code --dataset}); an output holds one dataset's lake
 */
public record RunConfig(
    String input,
    String output,
    long maxBytesPerFile,
    String runId,
    String startedAt,
    String runner,
    String runnerReason,
    WarehousePlan warehouse,
    WarehouseTarget warehouseTarget,
    String cloudWatchNamespace,
    String logFormat,
    QualityRules qualityRules,
    Map<RunOption, String> given,
    List<String> beamArgs,
    boolean full,
    boolean reprocessChanged,
    boolean breakLock,
    Increment increment,
    Dataset dataset) {

  public RunConfig {
    given = Collections.unmodifiableMap(new EnumMap<>(given.isEmpty() ? Map.of() : given));
    beamArgs = List.copyOf(beamArgs);
  }

  public boolean outputIsLocal() {
    return StorePaths.isLocal(output);
  }

  public boolean usesS3() {
    return StorePaths.isS3(input) || StorePaths.isS3(output);
  }

  public boolean isFlink() {
    return runner.equals("FlinkRunner");
  }

  public OutputPaths paths() {
    return new OutputPaths(output, runId);
  }

  /** The value the user gave, or null. */
  public String given(RunOption o) {
    return given.get(o);
  }

  // ---- continuous mode: read from the checked option values, so the record's
  // components stay those every run has

  /** {@code --continuous}: the job watches bronze and commits partition by partition. */
  public boolean continuous() {
    return "true".equalsIgnoreCase(given.get(RunOption.CONTINUOUS));
  }

  /** {@code --watchInterval}: how often a continuous run lists bronze. */
  public java.time.Duration watchInterval() {
    return duration(RunOption.WATCH_INTERVAL);
  }

  /** {@code --commitDelay}: how long a partition collects rows before its commit. */
  public java.time.Duration commitDelay() {
    return duration(RunOption.COMMIT_DELAY);
  }

  /** {@code --stopWhenIdle}, or null: a continuous run then runs until it is stopped. */
  public java.time.Duration stopWhenIdle() {
    return given.containsKey(RunOption.STOP_WHEN_IDLE) ? duration(RunOption.STOP_WHEN_IDLE) : null;
  }

  private java.time.Duration duration(RunOption o) {
    return java.time.Duration.parse(given.getOrDefault(o, o.defaultValue()).toUpperCase());
  }

  /** This config with the runner settled (by {@code auto}, at launch) and why. */
  public RunConfig withRunner(String chosen, String reason) {
    return copy(chosen, reason, warehouseTarget, qualityRules, increment);
  }

  /** This config with the warehouse the launcher opened. */
  public RunConfig withWarehouseTarget(WarehouseTarget target) {
    return copy(runner, runnerReason, target, qualityRules, increment);
  }

  /** This config with the rules read at launch (an {@code s3://} rules file). */
  public RunConfig withQualityRules(QualityRules rules) {
    return copy(runner, runnerReason, warehouseTarget, rules, increment);
  }

  /** This config with what the run reads and rewrites, decided at launch. */
  public RunConfig withIncrement(Increment inc) {
    return copy(runner, runnerReason, warehouseTarget, qualityRules, inc);
  }

  /** A copy with what the launcher settles replaced; everything the user gave stays. */
  private RunConfig copy(
      String runner,
      String runnerReason,
      WarehouseTarget target,
      QualityRules rules,
      Increment inc) {
    return new RunConfig(
        input,
        output,
        maxBytesPerFile,
        runId,
        startedAt,
        runner,
        runnerReason,
        warehouse,
        target,
        cloudWatchNamespace,
        logFormat,
        rules,
        given,
        beamArgs,
        full,
        reprocessChanged,
        breakLock,
        inc,
        dataset);
  }

  /** True unless {@code --quiet}: progress lines are printed while the run works. */
  public boolean showProgress() {
    return !"true".equalsIgnoreCase(given.getOrDefault(RunOption.QUIET, "false"));
  }

  /** Seconds between progress lines. */
  public int progressSeconds() {
    return Integer.parseInt(
        given
            .getOrDefault(RunOption.PROGRESS_INTERVAL, RunOption.PROGRESS_INTERVAL.defaultValue())
            .trim());
  }

  /**
   * The arguments Beam's {@code PipelineOptionsFactory} gets: the runner, trendlake's options that
   * Beam reads too, and every other option as given.
   */
  public List<String> beamArguments() {
    List<String> out = new ArrayList<>();
    out.add("--runner=" + runner);
    given.forEach(
        (o, v) -> {
          if (o.beam()) {
            out.add(o.flag() + "=" + v);
          }
        });
    out.addAll(beamArgs);
    return out;
  }

  /**
   * What the manifest says about the run: an explicit list of options, never a dump, so no secret
   * can slip in (the warehouse is shown without user info or query string).
   */
  public RunInfo info() {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("dataset", dataset.name());
    shown.put("input", input);
    shown.put("output", output);
    shown.put("warehouse", warehouse.shown());
    shown.put("maxFileMegabytes", String.valueOf(maxBytesPerFile >> 20));
    shown.put("mode", continuous() ? "continuous" : increment.full() ? "full" : "incremental");
    if (continuous()) {
      shown.put("continuous", "true");
      shown.put("watchInterval", watchInterval().toString());
      shown.put("commitDelay", commitDelay().toString());
    }
    if (usesS3()) {
      shown.put("endpoint", endpointShown());
      shown.put(
          "s3PathStyleAccess",
          given.getOrDefault(
              RunOption.S3_PATH_STYLE_ACCESS, RunOption.S3_PATH_STYLE_ACCESS.defaultValue()));
      shown.put(
          "s3UploadBufferSizeBytes",
          given.getOrDefault(
              RunOption.S3_UPLOAD_BUFFER_SIZE_BYTES,
              RunOption.S3_UPLOAD_BUFFER_SIZE_BYTES.defaultValue()));
    }
    return RunInfo.of(runId, startedAt, runner, input, output, shown);
  }

  /** Where S3 requests go, for messages: the endpoint without user info, or AWS S3 and region. */
  public String endpointShown() {
    String e = given.get(RunOption.ENDPOINT);
    if (e != null) {
      try {
        java.net.URI u = java.net.URI.create(e);
        return u.getScheme()
            + "://"
            + u.getHost()
            + (u.getPort() >= 0 ? ":" + u.getPort() : "")
            + (u.getPath() == null ? "" : u.getPath());
      } catch (IllegalArgumentException bad) {
        return "(an endpoint that is not a URL)";
      }
    }
    String region = given.get(RunOption.AWS_REGION);
    return "AWS S3" + (region == null ? "" : " (region " + region + ")");
  }
}
