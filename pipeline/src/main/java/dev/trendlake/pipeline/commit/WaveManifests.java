package dev.trendlake.pipeline.commit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.transforms.youtube.YouTubeDataset;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The end of a continuous commit ({@link WaveCommit}), in a batch run's order: reconcile, the
 * manifest as {@code committing}, the warehouse marker, {@code _commit.json}, the moves, the
 * manifest as {@code succeeded} and {@code latest.json}. Every manifest names the job and says it
 * is continuous.
 */
final class WaveManifests {
  private WaveManifests() {}

  /** As a batch run's finish: reconcile, manifest, commit as data, move, manifest, latest. */
  static void commit(
      WaveCommit.Settings settings,
      OutputPaths paths,
      Increment inc,
      CommitStep step,
      List<String> loads,
      List<String> removed)
      throws IOException {
    String id = paths.runId();
    RunInfo job = settings.job();
    RunInfo info = RunInfo.of(id, now(), job.runner(), job.input(), job.output(), job.options());
    String manifestPath = paths.resolve(OutputPaths.MANIFESTS + "/" + id + ".json");
    List<String> problems = step.problems();
    java.util.function.Function<String, ObjectNode> manifest =
        status -> {
          ObjectNode m =
              Manifest.toJson(info, inc, step, status, now(), problems, YouTubeDataset.INSTANCE);
          m.put("job_id", settings.jobId());
          m.put("continuous", true);
          return m;
        };
    if (!problems.isEmpty()) {
      Manifest.write(manifestPath, manifest.apply("failed"));
      throw new IllegalStateException(
          "commit "
              + id
              + " does not reconcile, so nothing was committed (see "
              + manifestPath
              + "):\n  "
              + String.join("\n  ", problems));
    }
    ObjectNode committing = manifest.apply("committing");
    Manifest.write(manifestPath, committing);
    if (settings.warehouse() != null) {
      ObjectNode marker = Manifest.MAPPER.createObjectNode();
      marker.put("run_id", id);
      ArrayNode parts = marker.putArray("partitions");
      loads.forEach(parts::add);
      ArrayNode gone = marker.putArray("removed");
      removed.forEach(gone::add);
      Manifest.write(
          paths.resolve(OutputPaths.MANIFESTS + "/" + ManifestStore.LOAD_PENDING), marker);
    }
    Manifest.write(ManifestStore.pending(paths), ManifestStore.withCommit(committing, step));
    new Committer(paths).commit(step.run().plan(), step.removeFiles());
    ObjectNode json = manifest.apply("succeeded");
    Manifest.write(manifestPath, json);
    Manifest.write(ManifestStore.latest(paths), json);
    ManifestStore.remove(ManifestStore.pending(paths));
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
