package dev.trendlake.pipeline.commit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.quality.QualityGate;
import dev.trendlake.pipeline.quality.QualityMetrics;
import dev.trendlake.pipeline.quality.QualityReport;
import dev.trendlake.pipeline.quality.QualityRules;
import dev.trendlake.transforms.StageTimedDoFn;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/**
 * The last step of a run: add up every tally, reconcile the counts, carry out the commit plan,
 * write the manifest.
 *
 * <p>Reconciliation first ({@link Manifest#problems}): every input file must satisfy {@code records
 * == silver + quarantined + duplicates}, and the rows written per region must equal the rows kept
 * from its files. If not, nothing is committed, the manifest says {@code failed} with the problems,
 * and the run fails.
 *
 * <p>Then the {@link Committer} moves the staged files into place. Partitions this run does not
 * write are left alone; the quarantine and silver-category folders of every region the run read are
 * replaced even when this run has nothing for them, so old rejects never linger. The run's manifest
 * says {@code committing} while files move, so a crash midway is visible, and {@code latest.json}
 * names the run only once it has succeeded.
 *
 * <p>Between the two, the data-quality rules ({@link QualityGate}): their results go in the
 * manifest's {@code quality} section; when a {@code fail} rule fails, only the quarantine is
 * committed, the manifest says {@code rejected_by_quality} and the run fails with {@link
 * QualityGate.Rejected} (exit status 3).
 */
public final class FinishRun extends PTransform<PCollection<RunTally>, PCollection<RunTally>> {
  private static final Logger LOG = LoggerFactory.getLogger(FinishRun.class);
  private final OutputPaths paths;
  private final RunInfo info;
  private final String cloudWatchNamespace;
  private final QualityRules rules;

  /**
   * @param cloudWatchNamespace where to publish {@link QuarantineMetrics} after a successful
   *     commit; null publishes nothing
   */
  public FinishRun(OutputPaths paths, RunInfo info, String cloudWatchNamespace) {
    this(paths, info, cloudWatchNamespace, QualityRules.defaults());
  }

  /**
   * @param rules the data-quality rules the run must pass before its commit
   */
  public FinishRun(
      OutputPaths paths, RunInfo info, String cloudWatchNamespace, QualityRules rules) {
    this.paths = paths;
    this.info = info;
    this.cloudWatchNamespace = cloudWatchNamespace;
    this.rules = rules;
  }

  @Override
  public PCollection<RunTally> expand(PCollection<RunTally> tallies) {
    return tallies
        .apply("MergeTallies", Combine.globally(new MergeFn()))
        .setCoder(RunTallyCoder.of())
        .apply(
            "ReconcileCommitAndWriteManifest",
            ParDo.of(new FinishFn(paths, info, cloudWatchNamespace, new QualityGate(rules, paths))))
        .setCoder(RunTallyCoder.of());
  }

  /** Adds tallies up in a mutable builder, so a merge costs what it adds, not what it holds. */
  static final class MergeFn extends Combine.CombineFn<RunTally, RunTally.Builder, RunTally> {
    @Override
    public RunTally.Builder createAccumulator() {
      return RunTally.builder();
    }

    @Override
    public RunTally.Builder addInput(RunTally.Builder acc, RunTally in) {
      return acc.add(in);
    }

    @Override
    public RunTally.Builder mergeAccumulators(Iterable<RunTally.Builder> accs) {
      RunTally.Builder out = RunTally.builder();
      for (RunTally.Builder a : accs) {
        out.add(a.build());
      }
      return out;
    }

    @Override
    public RunTally extractOutput(RunTally.Builder acc) {
      return acc.build();
    }

    @Override
    public Coder<RunTally.Builder> getAccumulatorCoder(CoderRegistry r, Coder<RunTally> in) {
      return new BuilderCoder();
    }
  }

  /** The accumulator travels as the tally it has built so far. */
  static final class BuilderCoder extends CustomCoder<RunTally.Builder> {
    @Override
    public void encode(RunTally.Builder b, java.io.OutputStream out) throws IOException {
      RunTallyCoder.of().encode(b.build(), out);
    }

    @Override
    public RunTally.Builder decode(java.io.InputStream in) throws IOException {
      return RunTally.builder().add(RunTallyCoder.of().decode(in));
    }
  }

  static final class FinishFn extends StageTimedDoFn<RunTally, RunTally> {
    private final OutputPaths paths;
    private final RunInfo info;
    private final String cloudWatchNamespace;
    private final QualityGate gate;
    private transient CloudWatchClient cloudWatch;

    FinishFn(OutputPaths paths, RunInfo info, String cloudWatchNamespace, QualityGate gate) {
      super(FINISH);
      this.paths = paths;
      this.info = info;
      this.cloudWatchNamespace = cloudWatchNamespace;
      this.gate = gate;
    }

    /** Metrics are best effort: without a resolvable AWS region the run goes on without them. */
    @Setup
    public void setup() {
      if (cloudWatchNamespace != null) {
        try {
          cloudWatch =
              CloudWatchClient.builder().httpClientBuilder(ApacheHttpClient.builder()).build();
        } catch (SdkException e) {
          LOG.warn(
              "--cloudWatchNamespace={} is set, but no CloudWatch client could be made, so this"
                  + " run publishes no metrics (set AWS_REGION or run on AWS): {}",
              cloudWatchNamespace,
              e.getMessage());
        }
      }
    }

    @Teardown
    public void teardown() {
      if (cloudWatch != null) {
        cloudWatch.close();
        cloudWatch = null;
      }
    }

    @ProcessElement
    public void process(@Element RunTally merged, OutputReceiver<RunTally> out) throws IOException {
      RunTally t = withReplacedFolders(merged);
      List<String> problems = Manifest.problems(t);
      String manifestPath = paths.resolve(OutputPaths.MANIFESTS + "/" + info.runId() + ".json");
      if (!problems.isEmpty()) {
        Manifest.write(manifestPath, Manifest.toJson(info, t, "failed", now(), problems));
        throw new IllegalStateException(
            "the run does not reconcile, so nothing was committed (see "
                + manifestPath
                + "):\n  "
                + String.join("\n  ", problems));
      }
      QualityReport quality = gate.evaluate(t, info);
      if (quality.rejects()) {
        new Committer(paths).commit(gate.quarantineOnly(t.plan()));
        Manifest.write(manifestPath, withQuality(info, t, QualityGate.REJECTED, quality));
        publishMetrics(List.of(), quality);
        throw new QualityGate.Rejected(quality, manifestPath);
      }
      // Written before the first file moves: if the commit dies halfway, this run's manifest says
      // so, and latest.json still names the last complete run.
      Manifest.write(manifestPath, withQuality(info, t, "committing", quality));
      new Committer(paths).commit(t.plan());
      ObjectNode json = withQuality(info, t, "succeeded", quality);
      Manifest.write(manifestPath, json);
      Manifest.write(paths.resolve(OutputPaths.MANIFESTS + "/latest.json"), json);
      publishMetrics(QuarantineMetrics.datums(t, Instant.now()), quality);
      out.output(t);
    }

    private static ObjectNode withQuality(
        RunInfo info, RunTally t, String status, QualityReport quality) {
      ObjectNode json = Manifest.toJson(info, t, status, now(), List.of());
      json.set("quality", quality.toJson());
      return json;
    }

    /**
     * After the commit, so a failed run never reports a ratio (a run the quality rules rejected
     * reports its quality results only). The data is committed by now, so a CloudWatch failure is
     * logged and does not fail the run (the alarm treats a missing point as OK).
     */
    private void publishMetrics(List<MetricDatum> counts, QualityReport quality) {
      if (cloudWatch == null) {
        return;
      }
      try {
        List<MetricDatum> datums = new ArrayList<>(counts);
        datums.addAll(QualityMetrics.datums(quality, Instant.now()));
        QuarantineMetrics.publish(cloudWatch, cloudWatchNamespace, datums);
        LOG.info(
            "Published the run's quarantine and quality metrics to CloudWatch namespace {}",
            cloudWatchNamespace);
      } catch (SdkException e) {
        LOG.warn(
            "Run {} is committed, but its metrics could not be published to CloudWatch namespace"
                + " {}: {}",
            info.runId(),
            cloudWatchNamespace,
            e.getMessage());
      }
    }

    private static String now() {
      return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** Quarantine and silver-category folders of every region read are replaced, even if empty. */
    private static RunTally withReplacedFolders(RunTally t) {
      RunTally.Builder b = RunTally.builder().add(t);
      b.replaceIfAbsent(OutputPaths.QUARANTINE + "/categories", "jsonl");
      for (FileTally f : t.files().values()) {
        if (Rejected.STATISTICS.equals(f.kind())) {
          b.replaceIfAbsent(OutputPaths.QUARANTINE + "/statistics/region=" + f.region(), "jsonl");
        } else if (f.region() != null && !"unknown".equals(f.region())) {
          b.replaceIfAbsent(OutputPaths.SILVER_CATEGORIES + "/region=" + f.region(), "parquet");
        }
      }
      return b.build();
    }
  }
}
