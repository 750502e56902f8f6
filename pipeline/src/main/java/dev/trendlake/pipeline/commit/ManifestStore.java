package dev.trendlake.pipeline.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.transforms.tally.CommitPlan;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The manifests of an output as the launcher reads them, before a run: the committed lake state
 * ({@code _manifests/latest.json}), and a commit that a killed run left halfway ({@code
 * _manifests/_commit.json}, written before the first file moves and removed after {@code
 * latest.json}), which is finished before anything else, so the next run starts from a lake that is
 * exactly one run's result, never a mix.
 */
public final class ManifestStore {
  private ManifestStore() {}

  static final String LATEST = "latest.json";
  static final String PENDING = "_commit.json";
  static final String LOAD_PENDING = "_load_pending.json";

  /** Thrown when a manifest can't be used; the message says which and what to do. */
  public static final class Unreadable extends RuntimeException {
    Unreadable(String message) {
      super(message);
    }
  }

  static String latest(OutputPaths paths) {
    return paths.resolve(OutputPaths.MANIFESTS + "/" + LATEST);
  }

  static String pending(OutputPaths paths) {
    return paths.resolve(OutputPaths.MANIFESTS + "/" + PENDING);
  }

  /**
   * The lake as the last successful run left it; empty for an output no run has committed to.
   *
   * @param full a full run replaces everything, so it can start over a manifest without state
   */
  public static LakeState state(String output, boolean full) {
    String path = latest(new OutputPaths(output, "-"));
    Optional<JsonNode> m = read(path);
    if (m.isEmpty()) {
      return LakeState.EMPTY;
    }
    if (!m.get().has("partitions")) {
      if (full) {
        return LakeState.EMPTY;
      }
      throw new Unreadable(
          path
              + " records no lake state: it was written by a trendlake from before incremental"
              + " runs, so there is nothing to continue from. Run once with --mode=full.");
    }
    return ManifestJson.state(m.get());
  }

  /**
   * Finishes a commit a killed run left halfway, if there is one: its staged files are moved into
   * place (those already moved are skipped), then its manifest and {@code latest.json} are written
   * as a succeeded run's.
   *
   * @return the run whose commit was finished, if any
   */
  public static Optional<String> finishInterruptedCommit(String output) throws IOException {
    OutputPaths any = new OutputPaths(output, "-");
    Optional<JsonNode> found = read(pending(any));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode m = (ObjectNode) found.get();
    String runId = m.path("run_id").asText();
    OutputPaths paths = new OutputPaths(output, runId);
    JsonNode c = m.path("commit");
    TreeSet<String> removeFiles = new TreeSet<>();
    c.path("remove_files").forEach(f -> removeFiles.add(f.asText()));
    new Committer(paths)
        .commit(new CommitPlan(map(c.path("staged")), map(c.path("replaced"))), removeFiles);
    m.remove("commit");
    m.put("status", "succeeded");
    m.put("recovered", true);
    Manifest.write(paths.resolve(OutputPaths.MANIFESTS + "/" + runId + ".json"), m);
    Manifest.write(latest(paths), m);
    remove(pending(paths));
    return Optional.of(runId);
  }

  /**
   * Marks the warehouse as behind the lake: written before a run that loads the warehouse commits,
   * removed ({@link #clearLoadPending}) once its load has succeeded. Found by a later run, it means
   * a load failed or was killed after its data was committed, and the warehouse lacks rows the lake
   * has.
   */
  static void markLoadPending(OutputPaths paths) throws IOException {
    ObjectNode n = Manifest.MAPPER.createObjectNode();
    n.put("run_id", paths.runId());
    Manifest.write(paths.resolve(OutputPaths.MANIFESTS + "/" + LOAD_PENDING), n);
  }

  /** The run whose warehouse load did not finish, if any. */
  public static Optional<String> loadPending(String output) {
    return read(new OutputPaths(output, "-").resolve(OutputPaths.MANIFESTS + "/" + LOAD_PENDING))
        .map(n -> n.path("run_id").asText());
  }

  public static void clearLoadPending(String output) throws IOException {
    remove(new OutputPaths(output, "-").resolve(OutputPaths.MANIFESTS + "/" + LOAD_PENDING));
  }

  /**
   * What tells one version of {@code latest.json} from the next (size, time and ETag as listed), or
   * null when there is none: a continuous job's watcher reads the state again only when it changed.
   */
  public static String latestVersion(String output) throws IOException {
    MatchResult m =
        FileSystems.match(List.of(latest(new OutputPaths(output, "-"))), EmptyMatchTreatment.ALLOW)
            .get(0);
    if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
      return null;
    }
    MatchResult.Metadata md = m.metadata().get(0);
    return md.sizeBytes() + "/" + md.lastModifiedMillis() + "/" + md.checksum();
  }

  /** The run (or continuous commit) that {@code latest.json} names, if there is one. */
  public static Optional<String> latestRunId(String output) {
    return read(latest(new OutputPaths(output, "-"))).map(n -> n.path("run_id").asText());
  }

  /** The commit as the pending manifest records it, so another process can finish it. */
  static ObjectNode withCommit(ObjectNode manifest, CommitStep step) {
    ObjectNode out = manifest.deepCopy();
    ObjectNode c = out.putObject("commit");
    ObjectNode staged = c.putObject("staged");
    step.run().plan().staged().forEach(staged::put);
    ObjectNode replaced = c.putObject("replaced");
    step.run().plan().replaced().forEach(replaced::put);
    ArrayNode remove = c.putArray("remove_files");
    step.removeFiles().forEach(remove::add);
    return out;
  }

  static void remove(String path) throws IOException {
    FileSystems.delete(
        List.of(FileSystems.matchNewResource(path, false)),
        MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  private static SortedMap<String, String> map(JsonNode n) {
    TreeMap<String, String> out = new TreeMap<>();
    n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static Optional<JsonNode> read(String path) {
    ResourceId id;
    try {
      // asked first: S3's open of a missing key fails with an SDK error, not FileNotFound
      MatchResult m = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
      if (m.status() == MatchResult.Status.NOT_FOUND || m.metadata().isEmpty()) {
        return Optional.empty();
      }
      id = m.metadata().get(0).resourceId();
    } catch (IOException e) {
      throw new Unreadable("could not look for " + path + ": " + e.getMessage());
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
      return Optional.of(Manifest.MAPPER.readTree(in));
    } catch (FileNotFoundException | NoSuchFileException e) {
      return Optional.empty();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new Unreadable(
          path
              + " is not valid JSON ("
              + e.getOriginalMessage()
              + "). Restore it from the run manifest it copies (_manifests/<run-id>.json of the"
              + " last succeeded run), or run with --mode=full.");
    } catch (IOException e) {
      throw new Unreadable("could not read " + path + ": " + e.getMessage());
    }
  }
}
