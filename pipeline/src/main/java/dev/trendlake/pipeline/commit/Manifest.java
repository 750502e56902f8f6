package dev.trendlake.pipeline.commit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;

/**
 * The run manifest: {@code _manifests/<run-id>.json} and {@code _manifests/latest.json}. It lists
 * the run, its (non-secret) options, per input file how every record ended: silver, quarantined by
 * reason, or duplicate, and every bronze entry the run did not read, with the reason ({@code
 * skipped}). {@link #problems(RunTally)} is the reconciliation the run must pass before it commits
 * anything.
 */
public final class Manifest {
  private Manifest() {}

  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Every way a run's tallies fail to add up; empty when the run reconciles. Each file the run
   * read: records == silver + quarantined + duplicates; each region: the rows its files wrote equal
   * the rows of the partitions it rewrote, in silver and in gold.
   */
  public static List<String> problems(RunTally t) {
    List<String> out = new ArrayList<>();
    for (FileTally f : t.files().values()) {
      if (!f.read() && f.records() == 0) {
        continue; // a file an earlier run read: only its share of rewritten partitions is here
      }
      if (!f.reconciles()) {
        out.add(f.imbalance());
      }
    }
    Map<String, Long> rowsByRegion = new TreeMap<>();
    t.partitions().values().forEach(p -> rowsByRegion.merge(p.group(), p.rows(), Long::sum));
    for (Map.Entry<String, RegionTally> e : t.regions().entrySet()) {
      long inPartitions = rowsByRegion.getOrDefault(e.getKey(), 0L);
      RegionTally r = e.getValue();
      if (r.silver() != inPartitions) {
        out.add(
            "region "
                + e.getKey()
                + ": silver rows written "
                + r.silver()
                + " != rows in its partitions "
                + inPartitions);
      }
      if (r.gold() != r.silver()) {
        out.add(
            "region " + e.getKey() + ": gold rows " + r.gold() + " != silver rows " + r.silver());
      }
    }
    for (Map.Entry<String, Long> e : rowsByRegion.entrySet()) {
      if (e.getValue() > 0 && !t.regions().containsKey(e.getKey())) {
        out.add("region " + e.getKey() + ": " + e.getValue() + " rows kept but none written");
      }
    }
    return out;
  }

  /**
   * The manifest of a run: the run itself (options, what it read, skipped, dropped and rewrote, its
   * own counts), and the state of the whole lake after it ({@link ManifestJson}).
   */
  public static ObjectNode toJson(
      RunInfo info,
      Increment inc,
      CommitStep step,
      String status,
      String finishedAt,
      List<String> problems,
      Dataset dataset) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("run_id", info.runId());
    root.put("status", status);
    root.put("started_at", info.startedAt());
    root.put("finished_at", finishedAt);
    root.put("runner", info.runner());
    root.put("input", info.input());
    root.put("output", info.output());
    root.put("mode", inc.full() ? "full" : "incremental");
    ObjectNode opts = root.putObject("options");
    info.options().forEach(opts::put);
    ManifestJson.writeRun(root.putObject("run"), inc, step);
    ManifestJson.writeState(root, step.after());
    ArrayNode skipped = root.putArray("skipped");
    step.run()
        .skipped()
        .forEach((path, reason) -> skipped.addObject().put("path", path).put("reason", reason));
    ObjectNode outputs = root.putObject("outputs");
    outputs.put(
        "silver_" + lastPart(dataset.silverTable()), info.output() + "/" + dataset.silverTable());
    outputs.put(
        "silver_" + lastPart(dataset.side().table()), info.output() + "/" + dataset.side().table());
    outputs.put("gold", info.output() + "/" + dataset.goldTable());
    outputs.put("quarantine", info.output() + "/" + OutputPaths.QUARANTINE);
    outputs.put("files_written", step.run().plan().staged().size());
    ArrayNode p = root.putArray("problems");
    problems.forEach(p::add);
    return root;
  }

  private static String lastPart(String table) {
    return table.substring(table.lastIndexOf('/') + 1);
  }

  /**
   * Writes {@code json} to {@code path} so that a reader sees the old document or the new one,
   * never a part, even after a kill -9 or a power cut: locally to a temporary file beside it,
   * synced to disk, then an atomic rename and a sync of the folder; on an object store as one
   * object (a manifest is far below one upload part, so it is a single PUT). The stream is closed
   * exactly once: Beam's S3 channel completes the upload on close and fails with NoSuchUpload if
   * closed again, which Jackson's default auto-close followed by try-with-resources would do.
   */
  static void write(String path, ObjectNode json) throws IOException {
    if (StorePaths.isLocal(path)) {
      Path target = StorePaths.local(path);
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      try {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          MAPPER
              .writer()
              .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
              .writeValue(Channels.newOutputStream(ch), json);
          ch.force(true); // the bytes are on disk before the name points at them
        }
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncFolder(target.getParent());
      } finally {
        Files.deleteIfExists(tmp);
      }
      return;
    }
    try (OutputStream os =
        Channels.newOutputStream(
            FileSystems.create(FileSystems.matchNewResource(path, false), "application/json"))) {
      MAPPER.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(os, json);
    }
  }

  /** Makes a rename in {@code dir} durable; best effort where a folder can't be opened to sync. */
  private static void syncFolder(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems refuse to open a folder: the rename is still atomic, only less durable
    }
  }
}
