package dev.trendlake.pipeline.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.transforms.StageTimedDoFn;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.model.FileTally;
import dev.trendlake.transforms.model.RunTally;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
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
 * The last step of a run: merge every tally, reconcile, commit, write the manifest.
 *
 * <p>Reconciliation first: every input file must satisfy {@code records == silver + quarantined +
 * duplicates}, and the rows written per region must equal the rows kept from its files. If not,
 * nothing is committed, the manifest says {@code failed} with the problems, and the run fails.
 *
 * <p>Commit: each staged file is moved over its final name ({@code part-00000.parquet}, ...), then
 * files in the same partition folders that this run did not write (leftovers of an earlier run with
 * more parts) are deleted, and the staging folder is removed. A partition is never empty during the
 * commit: the new file replaces the old one under the same name. Partitions this run does not write
 * are left alone; the quarantine and silver-category folders of every region the run read are
 * replaced even when this run has nothing for them, so old rejects never linger.
 */
public final class FinishRun extends PTransform<PCollection<RunTally>, PCollection<RunTally>> {
  private static final Logger LOG = LoggerFactory.getLogger(FinishRun.class);
  private final OutputPaths paths;
  private final RunInfo info;
  private final String cloudWatchNamespace;

  public FinishRun(OutputPaths paths, RunInfo info) {
    this(paths, info, null);
  }

  /**
   * @param cloudWatchNamespace where to publish {@link QuarantineMetrics} after a successful
   *     commit; null publishes nothing
   */
  public FinishRun(OutputPaths paths, RunInfo info, String cloudWatchNamespace) {
    this.paths = paths;
    this.info = info;
    this.cloudWatchNamespace = cloudWatchNamespace;
  }

  @Override
  public PCollection<RunTally> expand(PCollection<RunTally> tallies) {
    return tallies
        .apply("MergeTallies", Combine.globally(new MergeFn()))
        .setCoder(RunTallyCoder.of())
        .apply(
            "ReconcileCommitAndWriteManifest",
            ParDo.of(new FinishFn(paths, info, cloudWatchNamespace)))
        .setCoder(RunTallyCoder.of());
  }

  static final class MergeFn extends Combine.CombineFn<RunTally, RunTally, RunTally> {
    @Override
    public RunTally createAccumulator() {
      return new RunTally();
    }

    @Override
    public RunTally addInput(RunTally acc, RunTally in) {
      return acc.merge(in);
    }

    @Override
    public RunTally mergeAccumulators(Iterable<RunTally> accs) {
      RunTally out = new RunTally();
      for (RunTally a : accs) {
        out.merge(a);
      }
      return out;
    }

    @Override
    public RunTally extractOutput(RunTally acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<RunTally> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry r, org.apache.beam.sdk.coders.Coder<RunTally> in) {
      return RunTallyCoder.of();
    }
  }

  static final class FinishFn extends StageTimedDoFn<RunTally, RunTally> {
    private final OutputPaths paths;
    private final RunInfo info;
    private final String cloudWatchNamespace;
    private transient CloudWatchClient cloudWatch;

    FinishFn(OutputPaths paths, RunInfo info, String cloudWatchNamespace) {
      super(FINISH);
      this.paths = paths;
      this.info = info;
      this.cloudWatchNamespace = cloudWatchNamespace;
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
              "--cloudWatchNamespace={} is set, but no CloudWatch client could be made, so this run"
                  + " publishes no metrics (set AWS_REGION or run on AWS): {}",
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
    public void process(@Element RunTally tally, OutputReceiver<RunTally> out) throws IOException {
      RunTally t = new RunTally().merge(tally);
      addReplacedFolders(t);
      List<String> problems = Manifest.problems(t);
      String manifestPath = paths.resolve(OutputPaths.MANIFESTS + "/" + info.runId() + ".json");
      if (!problems.isEmpty()) {
        ObjectNode json = Manifest.toJson(info, t, "failed", now(), problems);
        Manifest.write(manifestPath, json);
        throw new IllegalStateException(
            "the run does not reconcile, so nothing was committed (see "
                + manifestPath
                + "):\n  "
                + String.join("\n  ", problems));
      }
      // Written before the first file moves: if the commit dies halfway, this run's manifest says
      // so, and latest.json still names the last complete run.
      Manifest.write(manifestPath, Manifest.toJson(info, t, "committing", now(), problems));
      commit(t);
      ObjectNode json = Manifest.toJson(info, t, "succeeded", now(), problems);
      Manifest.write(manifestPath, json);
      Manifest.write(paths.resolve(OutputPaths.MANIFESTS + "/latest.json"), json);
      publishMetrics(t);
      out.output(t);
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

    /**
     * Quarantine and silver-category folders of every region read are replaced, even if empty now.
     */
    private static void addReplacedFolders(RunTally t) {
      t.partitions.putIfAbsent(OutputPaths.QUARANTINE + "/categories", "jsonl");
      for (FileTally f : t.files.values()) {
        if ("statistics".equals(f.kind)) {
          t.partitions.putIfAbsent(
              OutputPaths.QUARANTINE + "/statistics/region=" + f.region, "jsonl");
        } else if (f.region != null && !"unknown".equals(f.region)) {
          t.partitions.putIfAbsent(
              OutputPaths.SILVER_CATEGORIES + "/region=" + f.region, "parquet");
        }
      }
    }

    private void commit(RunTally t) throws IOException {
      List<ResourceId> src = new ArrayList<>();
      List<ResourceId> dst = new ArrayList<>();
      Set<String> finals = new HashSet<>();
      for (Map.Entry<String, String> e : t.staged.entrySet()) {
        src.add(FileSystems.matchNewResource(e.getKey(), false));
        dst.add(FileSystems.matchNewResource(e.getValue(), false));
        finals.add(e.getValue());
      }
      ensureLocalParents(dst);
      if (!src.isEmpty()) {
        FileSystems.rename(src, dst, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      }
      List<ResourceId> stale = new ArrayList<>();
      List<String> patterns = new ArrayList<>();
      for (Map.Entry<String, String> p : new TreeMap<>(t.partitions).entrySet()) {
        patterns.add(paths.resolve(p.getKey()) + "/*." + p.getValue());
      }
      // One call for all folders: object stores list them in parallel (hundreds of partitions).
      for (MatchResult m :
          patterns.isEmpty()
              ? List.<MatchResult>of()
              : FileSystems.match(patterns, EmptyMatchTreatment.ALLOW)) {
        if (m.status() != MatchResult.Status.OK) {
          continue;
        }
        for (MatchResult.Metadata md : m.metadata()) {
          if (!finals.contains(md.resourceId().toString())) {
            stale.add(md.resourceId());
          }
        }
      }
      if (!stale.isEmpty()) {
        LOG.info(
            "Removing {} file(s) left by an earlier run in the partitions this run replaced",
            stale.size());
        FileSystems.delete(stale, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      }
      removeLocalStaging();
      LOG.info("Committed {} file(s) in {} folder(s)", src.size(), t.partitions.size());
    }

    private static boolean isLocal(String path) {
      return !path.contains("://") || path.startsWith("file://");
    }

    private static void ensureLocalParents(List<ResourceId> dst) throws IOException {
      for (ResourceId d : dst) {
        String s = d.toString();
        if (isLocal(s)) {
          Path parent = Paths.get(s.startsWith("file://") ? s.substring(7) : s).getParent();
          if (parent != null) {
            Files.createDirectories(parent);
          }
        }
      }
    }

    /** Object stores have no folders; on a local disk the emptied staging tree is removed. */
    private void removeLocalStaging() throws IOException {
      String root = paths.stagingRoot();
      if (!isLocal(root)) {
        return;
      }
      Path p = Paths.get(root.startsWith("file://") ? root.substring(7) : root);
      if (Files.exists(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(x);
          }
        }
      }
      Path parent = p.getParent();
      try (Stream<Path> s = Files.list(parent)) {
        if (s.findAny().isEmpty()) {
          Files.deleteIfExists(parent);
        }
      } catch (IOException ignored) {
        // another run may be staging beside us: leave the folder
      }
    }
  }
}
