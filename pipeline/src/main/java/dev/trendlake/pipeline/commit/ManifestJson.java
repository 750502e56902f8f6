package dev.trendlake.pipeline.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.transforms.Datasets;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.PartitionTally;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The manifest's two halves as JSON: what one run did ({@code run}), and the state of the lake
 * after it ({@code files}, {@code partitions}, {@code regions}, {@code totals}), which the next run
 * reads back ({@link #state}) as its bookmark.
 */
final class ManifestJson {
  private ManifestJson() {}

  /**
   * The run's own part: files read, skipped, dropped; partitions rewritten; its counts. A full
   * run's counts are those of everything it read; an incremental run's silver and duplicates are
   * the change it made to the lake (negative where it retracted rows).
   */
  static void writeRun(ObjectNode run, Increment inc, CommitStep step) {
    RunTally t = step.run();
    ArrayNode read = run.putArray("files_read");
    Totals totals = new Totals();
    for (FileTally f : t.files().values()) {
      if (f.read()) {
        read.add(f.path());
        totals.add(f);
      }
    }
    run.put("files_skipped", inc.full() ? 0 : inc.processed().size() - inc.rebuildFiles().size());
    ArrayNode dropped = run.putArray("files_dropped");
    inc.dropped().forEach(dropped::add);
    ArrayNode rewritten = run.putArray("partitions_rewritten");
    ArrayNode removed = run.putArray("partitions_removed");
    t.partitions().forEach((p, part) -> (part.rows() == 0 ? removed : rewritten).add(p));
    if (!inc.full()) {
      // the change this run made to the lake: a committed row replaced by a better new one is
      // one silver row less for its file and one duplicate more, so records == silver +
      // quarantined + duplicates holds per run as per file
      totals.silver = 0;
      totals.duplicates = 0;
      for (Map.Entry<String, PartitionTally> e : t.partitions().entrySet()) {
        PartitionTally before = inc.state().partitions().get(e.getKey());
        totals.silver += e.getValue().rows() - (before == null ? 0 : before.rows());
        totals.duplicates += duplicates(e.getValue()) - (before == null ? 0 : duplicates(before));
      }
    }
    totals.write(run);
    totals.writeReasons(run);
  }

  /** Counts of main (non side-input) files added up, as the manifest shows them. */
  private static final class Totals {
    long records;
    long silver;
    long quarantined;
    long duplicates;
    long repairs;
    final Map<String, Long> byReason = new TreeMap<>();

    void add(FileTally f) {
      if (Datasets.isSideKind(f.kind())) {
        return;
      }
      records += f.records();
      silver += f.silver();
      quarantined += f.quarantinedTotal();
      duplicates += f.duplicates();
      repairs += f.encodingRepairs();
      f.quarantined().forEach((k, v) -> byReason.merge(k, v, Long::sum));
    }

    void write(ObjectNode n) {
      n.put("records", records);
      n.put("silver", silver);
      n.put("quarantined", quarantined);
      n.put("duplicates", duplicates);
      n.put("encoding_repairs", repairs);
    }

    void writeReasons(ObjectNode n) {
      ObjectNode q = n.putObject("quarantined_by_reason");
      byReason.forEach(q::put);
    }
  }

  private static long duplicates(PartitionTally p) {
    return p.files().values().stream().mapToLong(PartitionTally.FileRows::duplicates).sum();
  }

  /** The lake after the run: every file, every partition, per region and in total. */
  static void writeState(ObjectNode root, LakeState s) {
    Totals sums = new Totals();
    ArrayNode files = root.putArray("files");
    for (FileTally f : s.filesWithCounts().values()) {
      ObjectNode n = files.addObject();
      n.put("path", f.path());
      n.put("kind", f.kind());
      n.put("region", f.region());
      n.put("layout", f.layout());
      n.put("size", f.size());
      n.put("token", f.token());
      n.put("records", f.records());
      n.put("silver", f.silver());
      ObjectNode q = n.putObject("quarantined");
      f.quarantined().forEach(q::put);
      n.put("duplicates", f.duplicates());
      n.put("encoding_repairs", f.encodingRepairs());
      sums.add(f);
    }
    ObjectNode regions = root.putObject("regions");
    long gold = 0, unknown = 0;
    for (Map.Entry<String, RegionTally> e : s.regions().entrySet()) {
      ObjectNode r = regions.putObject(e.getKey());
      r.put("silver", e.getValue().silver());
      r.put("gold", e.getValue().gold());
      r.put("unknown_category", e.getValue().unknownCategory());
      r.put("categories", e.getValue().categories());
      gold += e.getValue().gold();
      unknown += e.getValue().unknownCategory();
    }
    ObjectNode totals = root.putObject("totals");
    sums.write(totals);
    totals.put("gold", gold);
    totals.put("unknown_category", unknown);
    sums.writeReasons(totals);
    ObjectNode partitions = root.putObject("partitions");
    s.partitions()
        .forEach(
            (path, p) -> {
              ObjectNode n = partitions.putObject(path);
              n.put("region", p.group());
              n.put("rows", p.rows());
              n.put("unknown_category", p.unknown());
              ObjectNode sources = n.putObject("files");
              p.files().forEach((f, r) -> sources.putArray(f).add(r.kept()).add(r.duplicates()));
            });
    ObjectNode cats = root.putObject("categories");
    s.categories().forEach(cats::put);
  }

  /** The lake state a manifest records (its {@code files} and {@code partitions}). */
  static LakeState state(JsonNode m) {
    TreeMap<String, FileTally> files = new TreeMap<>();
    for (JsonNode f : m.path("files")) {
      String path = f.path("path").asText();
      String kind = f.path("kind").asText();
      FileTally.Builder b =
          new FileTally.Builder(path, kind)
              .region(text(f, "region"))
              .layout(text(f, "layout"))
              .records(f.path("records").asLong())
              .encodingRepairs(f.path("encoding_repairs").asLong());
      if (text(f, "token") != null) {
        b.read(f.path("size").asLong(-1), text(f, "token"));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = f.path("quarantined").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> q = it.next();
        b.quarantined(q.getKey(), q.getValue().asLong());
      }
      if (Datasets.isSideKind(kind)) {
        b.silver(f.path("silver").asLong()).duplicates(f.path("duplicates").asLong());
      }
      files.put(path, b.build());
    }
    TreeMap<String, PartitionTally> partitions = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = m.path("partitions").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode p = e.getValue();
      TreeMap<String, PartitionTally.FileRows> sources = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> fs = p.path("files").fields(); fs.hasNext(); ) {
        Map.Entry<String, JsonNode> f = fs.next();
        sources.put(
            f.getKey(),
            new PartitionTally.FileRows(
                f.getValue().path(0).asLong(), f.getValue().path(1).asLong()));
      }
      partitions.put(
          e.getKey(),
          new PartitionTally(
              text(p, "region"),
              p.path("rows").asLong(),
              p.path("unknown_category").asLong(),
              sources));
    }
    TreeMap<String, Long> categories = new TreeMap<>();
    m.path("categories")
        .fields()
        .forEachRemaining(e -> categories.put(e.getKey(), e.getValue().asLong()));
    return new LakeState(files, partitions, categories);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
