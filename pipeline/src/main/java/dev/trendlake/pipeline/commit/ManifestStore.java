package dev.trendlake.pipeline.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.tally.CommitPlan;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manifests of an output as the launcher reads them, before a run: the committed lake state
 * ({@code _manifests/latest.json}), and a commit that a killed run left halfway ({@code
 * _manifests/_commit.json}, written before the first file moves and removed after {@code
 * latest.json}), which is finished before anything else, so the next run starts from a lake that is
 * exactly one run's result, never a mix.
 *
 * <p>{@code latest.json} is the fast answer, but it is not trusted alone: when it is missing
 * (deleted, or a store that lost it) or cut short (a copy by a tool), the run manifests are listed
 * and read newest first by store time until one says {@code succeeded} ({@link #lastCommitted}).
 */
public final class ManifestStore {
  private ManifestStore() {}

  private static final Logger LOG = LoggerFactory.getLogger(ManifestStore.class);

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
   * @param dataset the run's dataset: an output holding another dataset's lake is refused
   */
  public static LakeState state(String output, boolean full, Dataset dataset) {
    String path = latest(new OutputPaths(output, "-"));
    Optional<JsonNode> m;
    Unreadable broken = null;
    try {
      m = read(path);
    } catch (Unreadable e) {
      m = Optional.empty();
      broken = e;
    }
    if (m.isEmpty()) {
      Optional<Committed> c;
      try {
        c = lastCommitted(output);
      } catch (IOException e) {
        throw new Unreadable("could not list " + output + "/" + OutputPaths.MANIFESTS + ": " + e);
      }
      if (c.isPresent()) {
        c.get().notes().forEach(n -> LOG.warn("{}", n));
        m = Optional.of(c.get().manifest());
      } else if (broken != null) {
        throw broken;
      } else {
        return LakeState.EMPTY;
      }
    }
    // manifests from before --dataset existed hold YouTube lakes
    String holds = m.get().path("options").path("dataset").asText("youtube");
    if (!holds.equals(dataset.name())) {
      throw new Unreadable(
          output
              + " holds the lake of the "
              + holds
              + " dataset (see "
              + path
              + "), and this run reads --dataset="
              + dataset.name()
              + ": give each dataset its own --output, or run with --dataset="
              + holds
              + ".");
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

  /**
   * The last committed run (or continuous commit), if there is one: the one {@code latest.json}
   * names, or, when it is missing or cut short, the one {@link #lastCommitted} finds, as {@link
   * #state} does.
   */
  public static Optional<String> latestRunId(String output) {
    try {
      Optional<JsonNode> m = read(latest(new OutputPaths(output, "-")));
      if (m.isPresent()) {
        return m.map(n -> n.path("run_id").asText());
      }
    } catch (Unreadable e) {
      // cut short: the run manifests tell
    }
    try {
      return lastCommitted(output).map(Committed::runId);
    } catch (IOException e) {
      throw new Unreadable("could not list " + output + "/" + OutputPaths.MANIFESTS + ": " + e);
    }
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

  /**
   * A committed run's manifest.
   *
   * @param manifest the manifest document
   * @param path where it was read
   * @param notes what the reader had to work around, for a log or a message; empty normally
   */
  public record Committed(JsonNode manifest, String path, List<String> notes) {
    public String runId() {
      return manifest.path("run_id").asText();
    }
  }

  /**
   * The last committed run of {@code output} (a local folder or {@code s3://...}), or empty when no
   * run has committed there: the newest run manifest that says {@code succeeded}, with notes when
   * {@code latest.json} is missing, cut short or names another run, and for a newer run that
   * stopped while committing. Files whose name starts with a dot (a write cut short) or an
   * underscore (the pending commit, the warehouse marker) are no run manifests.
   *
   * @throws IOException when the store can't be listed or read (not for a missing or corrupt
   *     manifest)
   */
  public static Optional<Committed> lastCommitted(String output) throws IOException {
    String dir = new OutputPaths(output, "-").resolve(OutputPaths.MANIFESTS);
    List<MatchResult.Metadata> manifests = new ArrayList<>();
    boolean hasLatest = false;
    MatchResult m = FileSystems.match(dir + "/*.json", EmptyMatchTreatment.ALLOW);
    if (m.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata md : m.metadata()) {
        String name = md.resourceId().getFilename();
        if (LATEST.equals(name)) {
          hasLatest = true;
        } else if (name != null && !name.startsWith(".") && !name.startsWith("_")) {
          manifests.add(md);
        }
      }
    }
    // newest first: a run manifest's store time is its last write, and "succeeded" is written last
    manifests.sort(
        Comparator.comparingLong(MatchResult.Metadata::lastModifiedMillis)
            .thenComparing(md -> md.resourceId().toString())
            .reversed());
    List<String> notes = new ArrayList<>();
    Committed found = null;
    for (MatchResult.Metadata md : manifests) {
      String path = md.resourceId().toString();
      JsonNode doc = tolerant(path);
      String status = doc == null ? null : doc.path("status").asText(null);
      if ("succeeded".equals(status)) {
        found = new Committed(doc, path, notes);
        break;
      }
      if (doc == null) {
        notes.add(path + " is not a complete manifest (cut short?): skipped");
      } else if ("committing".equals(status)) {
        notes.add(
            "run "
                + doc.path("run_id").asText()
                + " stopped while committing; the next run finishes its commit from "
                + PENDING);
      }
    }
    JsonNode latest = hasLatest ? tolerant(dir + "/" + LATEST) : null;
    if (found == null) {
      if (latest != null && "succeeded".equals(latest.path("status").asText(null))) {
        // the run manifests are gone but the pointer holds a complete copy
        return Optional.of(new Committed(latest, dir + "/" + LATEST, notes));
      }
      return Optional.empty();
    }
    String foundId = found.runId();
    if (latest == null) {
      notes.add(
          LATEST
              + " is missing or unreadable; the newest complete run manifest was used: "
              + foundId);
    } else if (!foundId.equals(latest.path("run_id").asText())) {
      notes.add(
          LATEST
              + " names run "
              + latest.path("run_id").asText()
              + ", but run "
              + foundId
              + " committed after it; "
              + foundId
              + " was used");
    }
    return Optional.of(found);
  }

  /** The listed document at {@code path}, or null when it is not whole JSON (empty, cut short). */
  private static JsonNode tolerant(String path) {
    try {
      return read(path).filter(JsonNode::isObject).orElse(null);
    } catch (Unreadable e) {
      return null;
    }
  }
}
