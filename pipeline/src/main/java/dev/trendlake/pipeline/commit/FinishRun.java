package dev.trendlake.pipeline.commit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.StageTimedDoFn;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 */
public final class FinishRun extends PTransform<PCollection<RunTally>, PCollection<RunTally>> {
  private static final Logger LOG = LoggerFactory.getLogger(FinishRun.class);
  private final OutputPaths paths;
  private final RunInfo info;
  private final Increment increment;
  private final String cloudWatchNamespace;
  private final boolean loadsWarehouse;
  private final Dataset dataset;

  /**
   * @param loadsWarehouse the run loads a warehouse after the commit: until the launcher clears it,
   *     a marker says the warehouse is behind ({@link ManifestStore#loadPending})
   * @param increment what the run reads and rewrites, and the lake state it starts from
   * @param cloudWatchNamespace where to publish {@link QuarantineMetrics} after a successful
   *     commit; null publishes nothing
   */
  public FinishRun(
      OutputPaths paths,
      RunInfo info,
      Increment increment,
      String cloudWatchNamespace,
      boolean loadsWarehouse,
      Dataset dataset) {
    this.paths = paths;
    this.info = info;
    this.increment = increment;
    this.cloudWatchNamespace = cloudWatchNamespace;
    this.loadsWarehouse = loadsWarehouse;
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
                new FinishFn(paths, info, increment, cloudWatchNamespace, loadsWarehouse, dataset)))
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
    private final Dataset dataset;
    private transient CloudWatchClient cloudWatch;

    FinishFn(
        OutputPaths paths,
        RunInfo info,
        Increment increment,
        String cloudWatchNamespace,
        boolean loadsWarehouse,
        Dataset dataset) {
      super(FINISH);
      this.paths = paths;
      this.info = info;
      this.increment = increment;
      this.cloudWatchNamespace = cloudWatchNamespace;
      this.loadsWarehouse = loadsWarehouse;
      this.dataset = dataset;
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
      // Written before the first file moves: if the commit dies halfway, this run's manifest says
      // so, and latest.json still names the last complete run (and the state before it).
      ObjectNode committing =
          Manifest.toJson(info, increment, step, "committing", now(), problems, dataset);
      Manifest.write(manifestPath, committing);
      if (loadsWarehouse) {
        ManifestStore.markLoadPending(paths);
      }
      // The commit as data, for the next run to finish if this process dies while files move.
      Manifest.write(ManifestStore.pending(paths), ManifestStore.withCommit(committing, step));
      new Committer(paths).commit(step.run().plan(), step.removeFiles());
      ObjectNode json =
          Manifest.toJson(info, increment, step, "succeeded", now(), problems, dataset);
      Manifest.write(manifestPath, json);
      Manifest.write(ManifestStore.latest(paths), json);
      ManifestStore.remove(ManifestStore.pending(paths));
      publishMetrics(step.run());
      out.output(step.run());
    }

    /**
     * After the commit, so a failed run never reports a ratio. The data is committed by now, so a
     * CloudWatch failure is logged and does not fail the run (the alarm treats a missing point as
     * OK).
     */
    private void publishMetrics(RunTally t) {
      if (cloudWatch == null) {
        return;
      }
      try {
        QuarantineMetrics.publish(
            cloudWatch, cloudWatchNamespace, QuarantineMetrics.datums(t, Instant.now()));
        LOG.info(
            "Published the run's quarantine metrics to CloudWatch namespace {}",
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
  }
}
