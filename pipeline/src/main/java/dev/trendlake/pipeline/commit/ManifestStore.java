package dev.trendlake.pipeline.commit;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.StorePaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Reads an output's committed state: the manifest of the last run that committed to it.
 *
 * <p>{@code _manifests/latest.json} is the fast answer, but it is not trusted alone: it may be
 * missing (deleted, or a store that lost it), unreadable (a copy cut short by a tool), or behind (a
 * run stopped after its own manifest said {@code succeeded} and before it rewrote latest.json). So
 * the run manifests are listed, and read newest first by their store time until one says {@code
 * succeeded}; that one is the state, and latest.json only agrees with it or gets a note. A run
 * manifest newer than it that says {@code committing} is a commit that died midway: its partitions
 * may hold a mix of two runs, which a new run over the same input repairs; it is noted too.
 *
 * <p>Cost: one listing of {@code _manifests/} and, normally, one or two manifest reads.
 */
public final class ManifestStore {
  private ManifestStore() {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LATEST = "latest.json";

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
   * run has committed there.
   *
   * @throws IOException when the store can't be listed or read (not for a missing or corrupt
   *     manifest)
   */
  public static Optional<Committed> lastCommitted(String output) throws IOException {
    String dir = StorePaths.stripSlash(output) + "/" + OutputPaths.MANIFESTS;
    List<MatchResult.Metadata> manifests = new ArrayList<>();
    boolean hasLatest = false;
    MatchResult m = FileSystems.match(dir + "/*.json", EmptyMatchTreatment.ALLOW);
    if (m.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata md : m.metadata()) {
        String name = md.resourceId().getFilename();
        if (LATEST.equals(name)) {
          hasLatest = true;
        } else if (name != null && !name.startsWith(".")) {
          manifests.add(md); // not the hidden temporary files of a write cut short
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
      JsonNode doc = read(path);
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
                + " stopped while committing: some partitions may hold its files beside an older"
                + " run's; run trendlake again over the same input to repair them");
      }
    }
    JsonNode latest = hasLatest ? read(dir + "/" + LATEST) : null;
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
              + " committed after it (it was stopped before it could update "
              + LATEST
              + "); "
              + foundId
              + " was used");
    }
    return Optional.of(found);
  }

  /** The listed document at {@code path}, or null when it is not whole JSON (empty, cut short). */
  static JsonNode read(String path) throws IOException {
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)))) {
      JsonNode n = JSON.readTree(in);
      return n != null && n.isObject() ? n : null;
    } catch (JacksonException e) {
      return null;
    }
  }
}
