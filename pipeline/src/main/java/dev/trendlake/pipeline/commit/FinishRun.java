package dev.trendlake.pipeline.commit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.pipeline.aws.AwsEndpoints;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.quality.QualityGate;
import dev.trendlake.pipeline.quality.QualityMetrics;
import dev.trendlake.pipeline.quality.QualityReport;
import dev.trendlake.pipeline.quality.QualityRules;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.StageTimedDoFn;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.metrics.Metrics;
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
 * says {@code committing} while files move, and {@code _manifests/_commit.json} holds the commit as
 * data, so a run killed midway has its commit finished by the next one ({@link ManifestStore});
 * {@code latest.json} names the run only once it has succeeded.
 *
 * <p>Between the two, the data-quality rules ({@link QualityGate}), on what this run read and on
 * the lake it would leave: their results go in the manifest's {@code quality} section; when a
 * {@code fail} rule fails, only the quarantine is committed, the manifest says {@code
 * rejected_by_quality}, {@code latest.json} keeps the lake as it was, and the run fails with {@link
 * QualityGate.Rejected} (exit status 3).
 */
public final class FinishRun extends PTransform<PCollection<RunTally>, PCollection<RunTally>> {
  private static final Logger LOG = LoggerFactory.getLogger(FinishRun.class);

  /** Counter (namespace FinishRun) of runs whose metrics reached CloudWatch. */
  public static final String PUBLISHED = "cloudwatch_published";

  /**
   * Counter (namespace FinishRun) of committed runs whose metrics could not be published: no client
   * (no region), or CloudWatch refused or could not be reached.
   */
  public static final String PUBLISH_FAILED = "cloudwatch_publish_failed";

  private final OutputPaths paths;
  private final RunInfo info;
  private final Increment increment;
  private final String cloudWatchNamespace;
  private final boolean loadsWarehouse;
  private final QualityRules rules;
  private final Dataset dataset;

  /**
   * @param loadsWarehouse the run loads a warehouse after the commit: until the launcher clears it,
   *     a marker says the warehouse is behind ({@link ManifestStore#loadPending})
   * @param increment what the run reads and rewrites, and the lake state it starts from
   * @param cloudWatchNamespace where to publish {@link QuarantineMetrics} after a successful
   *     commit; null publishes nothing
   * @param rules the data-quality rules the run must pass before its commit
   * @param dataset what the run reads: its tables, quarantine folders and side input
   */
  public FinishRun(
      OutputPaths paths,
      RunInfo info,
      Increment increment,
      String cloudWatchNamespace,
      boolean loadsWarehouse,
      QualityRules rules,
      Dataset dataset) {
    this.paths = paths;
    this.info = info;
    this.increment = increment;
    this.cloudWatchNamespace = cloudWatchNamespace;
    this.loadsWarehouse = loadsWarehouse;
    this.rules = rules;
    this.dataset = dataset;
  }

  @Override
  public PCollection<RunTally> expand(PCollection<RunTally> tallies) {
    return tallies
        .apply("MergeTallies", Combine.globally(new MergeFn()))
        .setCoder(RunTallyCoder.of())
        .apply(
            "ReconcileCommitAndWriteManifest",
            ParDo.of(
                new FinishFn(
                    paths,
                    info,
                    increment,
                    cloudWatchNamespace,
                    loadsWarehouse,
                    new QualityGate(rules, paths),
                    dataset)))
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
    private final Increment increment;
    private final String cloudWatchNamespace;
    private final boolean loadsWarehouse;
    private final QualityGate gate;
    private final Dataset dataset;
    private transient CloudWatchClient cloudWatch;
    private transient String clientProblem;

    FinishFn(
        OutputPaths paths,
        RunInfo info,
        Increment increment,
        String cloudWatchNamespace,
        boolean loadsWarehouse,
        QualityGate gate,
        Dataset dataset) {
      super(FINISH);
      this.paths = paths;
      this.info = info;
      this.increment = increment;
      this.cloudWatchNamespace = cloudWatchNamespace;
      this.loadsWarehouse = loadsWarehouse;
      this.gate = gate;
      this.dataset = dataset;
    }

    /**
     * Without a resolvable AWS region no client can be made: the run goes on and commits, and
     * counts its metrics as not published ({@link FinishRun#PUBLISH_FAILED}), which fails its exit
     * status.
     */
    @Setup
    public void setup() {
      if (cloudWatchNamespace != null) {
        try {
          cloudWatch =
              AwsEndpoints.apply(
                      CloudWatchClient.builder().httpClientBuilder(ApacheHttpClient.builder()),
                      AwsEndpoints.CLOUDWATCH)
                  .build();
        } catch (SdkException e) {
          clientProblem = e.getMessage();
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
      CommitStep step = CommitStep.of(merged, increment, dataset);
      List<String> problems = step.problems();
      String manifestPath = paths.resolve(OutputPaths.MANIFESTS + "/" + info.runId() + ".json");
      if (!problems.isEmpty()) {
        Manifest.write(
            manifestPath,
            Manifest.toJson(info, increment, step, "failed", now(), problems, dataset));
        throw new IllegalStateException(
            "the run does not reconcile, so nothing was committed (see "
                + manifestPath
                + "):\n  "
                + String.join("\n  ", problems));
      }
      QualityReport quality = gate.evaluate(step.forQuality(), info);
      if (quality.rejects()) {
        new Committer(paths).commit(gate.quarantineOnly(step.run().plan()), step.removeFiles());
        Manifest.write(
            manifestPath,
            withQuality(
                Manifest.toJson(
                    info, increment, step, QualityGate.REJECTED, now(), problems, dataset),
                quality));
        publishMetrics(List.of(), quality);
        throw new QualityGate.Rejected(quality, manifestPath);
      }
      // Written before the first file moves: if the commit dies halfway, this run's manifest says
      // so, and latest.json still names the last complete run (and the state before it).
      ObjectNode committing =
          withQuality(
              Manifest.toJson(info, increment, step, "committing", now(), problems, dataset),
              quality);
      Manifest.write(manifestPath, committing);
      if (loadsWarehouse) {
        ManifestStore.markLoadPending(paths);
      }
      // The commit as data, for the next run to finish if this process dies while files move.
      Manifest.write(ManifestStore.pending(paths), ManifestStore.withCommit(committing, step));
      new Committer(paths).commit(step.run().plan(), step.removeFiles());
      ObjectNode json =
          withQuality(
              Manifest.toJson(info, increment, step, "succeeded", now(), problems, dataset),
              quality);
      Manifest.write(manifestPath, json);
      Manifest.write(ManifestStore.latest(paths), json);
      ManifestStore.remove(ManifestStore.pending(paths));
      publishMetrics(QuarantineMetrics.datums(step.run(), Instant.now()), quality);
      out.output(step.run());
    }

    private static ObjectNode withQuality(ObjectNode manifest, QualityReport quality) {
      manifest.set("quality", quality.toJson());
      return manifest;
    }

    /**
     * After the commit, so a failed run never reports a ratio. The data is committed by now, so a
     * CloudWatch failure does not fail this step (nor undo the commit); it is counted ({@link
     * #PUBLISH_FAILED}), and the launcher turns the count into the run's own exit status, so the
     * scheduler and its alarm see it.
     */
    private void publishMetrics(List<MetricDatum> counts, QualityReport quality) {
      if (cloudWatchNamespace == null) {
        return;
      }
      String problem = clientProblem;
      if (cloudWatch != null) {
        try {
          List<MetricDatum> datums = new ArrayList<>(counts);
          datums.addAll(QualityMetrics.datums(quality, Instant.now()));
          QuarantineMetrics.publish(cloudWatch, cloudWatchNamespace, datums);
          Metrics.counter(FinishRun.class, PUBLISHED).inc();
          LOG.info(
              "Published the run's quarantine and quality metrics to CloudWatch namespace {}",
              cloudWatchNamespace);
          return;
        } catch (SdkException e) {
          problem = e.getMessage();
        }
      }
      Metrics.counter(FinishRun.class, PUBLISH_FAILED).inc();
      LOG.warn(
          "Run {} is committed, but its metrics could not be published to CloudWatch namespace"
              + " {}: {}",
          info.runId(),
          cloudWatchNamespace,
          problem);
    }

    private static String now() {
      return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }
  }
}
