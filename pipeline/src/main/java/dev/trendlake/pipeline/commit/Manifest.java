package dev.trendlake.pipeline.commit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.StorePaths;
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

  /** Every way the tallies fail to add up; empty when the run reconciles. */
  public static List<String> problems(RunTally t) {
    List<String> out = new ArrayList<>();
    Map<String, Long> silverByRegion = new TreeMap<>();
    for (FileTally f : t.files().values()) {
      if (!f.reconciles()) {
        out.add(
            f.path()
                + ": records "
                + f.records()
                + " != silver "
                + f.silver()
                + " + quarantined "
                + f.quarantinedTotal()
                + " + duplicates "
                + f.duplicates());
      }
      if ("statistics".equals(f.kind()) && f.silver() > 0) {
        silverByRegion.merge(f.region(), f.silver(), Long::sum);
      }
    }
    for (Map.Entry<String, RegionTally> e : t.regions().entrySet()) {
      long fromFiles = silverByRegion.getOrDefault(e.getKey(), 0L);
      RegionTally r = e.getValue();
      if (r.silver() != fromFiles) {
        out.add(
            "region "
                + e.getKey()
                + ": silver rows written "
                + r.silver()
                + " != rows kept from its files "
                + fromFiles);
      }
      if (r.gold() != r.silver()) {
        out.add(
            "region " + e.getKey() + ": gold rows " + r.gold() + " != silver rows " + r.silver());
      }
    }
    for (Map.Entry<String, Long> e : silverByRegion.entrySet()) {
      if (!t.regions().containsKey(e.getKey())) {
        out.add("region " + e.getKey() + ": " + e.getValue() + " rows kept but none written");
      }
    }
    return out;
  }

  public static ObjectNode toJson(
      RunInfo info, RunTally t, String status, String finishedAt, List<String> problems) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("run_id", info.runId());
    root.put("status", status);
    root.put("started_at", info.startedAt());
    root.put("finished_at", finishedAt);
    root.put("runner", info.runner());
    root.put("input", info.input());
    root.put("output", info.output());
    ObjectNode opts = root.putObject("options");
    info.options().forEach(opts::put);

    long records = 0, silver = 0, quarantined = 0, duplicates = 0, repairs = 0;
    Map<String, Long> byReason = new TreeMap<>();
    ArrayNode files = root.putArray("files");
    for (FileTally f : t.files().values()) {
      ObjectNode n = files.addObject();
      n.put("path", f.path());
      n.put("kind", f.kind());
      n.put("region", f.region());
      n.put("layout", f.layout());
      n.put("records", f.records());
      n.put("silver", f.silver());
      ObjectNode q = n.putObject("quarantined");
      f.quarantined().forEach(q::put);
      n.put("duplicates", f.duplicates());
      n.put("encoding_repairs", f.encodingRepairs());
      if ("statistics".equals(f.kind())) {
        records += f.records();
        silver += f.silver();
        quarantined += f.quarantinedTotal();
        duplicates += f.duplicates();
        repairs += f.encodingRepairs();
        f.quarantined().forEach((k, v) -> byReason.merge(k, v, Long::sum));
      }
    }
    ArrayNode skipped = root.putArray("skipped");
    t.skipped()
        .forEach((path, reason) -> skipped.addObject().put("path", path).put("reason", reason));
    ObjectNode regions = root.putObject("regions");
    long gold = 0, unknown = 0;
    for (Map.Entry<String, RegionTally> e : t.regions().entrySet()) {
      ObjectNode r = regions.putObject(e.getKey());
      r.put("silver", e.getValue().silver());
      r.put("gold", e.getValue().gold());
      r.put("unknown_category", e.getValue().unknownCategory());
      r.put("categories", e.getValue().categories());
      gold += e.getValue().gold();
      unknown += e.getValue().unknownCategory();
    }
    ObjectNode totals = root.putObject("totals");
    totals.put("records", records);
    totals.put("silver", silver);
    totals.put("quarantined", quarantined);
    totals.put("duplicates", duplicates);
    totals.put("encoding_repairs", repairs);
    totals.put("gold", gold);
    totals.put("unknown_category", unknown);
    totals.put("skipped_entries", t.skipped().size());
    ObjectNode q = totals.putObject("quarantined_by_reason");
    byReason.forEach(q::put);
    ObjectNode outputs = root.putObject("outputs");
    outputs.put("silver_statistics", info.output() + "/" + OutputPaths.SILVER_STATISTICS);
    outputs.put("silver_categories", info.output() + "/" + OutputPaths.SILVER_CATEGORIES);
    outputs.put("gold", info.output() + "/" + OutputPaths.GOLD_TRENDING);
    outputs.put("quarantine", info.output() + "/" + OutputPaths.QUARANTINE);
    outputs.put("files_written", t.plan().staged().size());
    ArrayNode p = root.putArray("problems");
    problems.forEach(p::add);
    return root;
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
