package dev.trendlake.runners.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.pipeline.StageTimes;
import dev.trendlake.pipeline.config.RunConfig;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.ValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;

/**
 * The summary a run prints when it has succeeded, read back from its manifest (so it shows what was
 * committed, not what a runner's metrics say): counts per file kind, per region and per quarantine
 * reason, where its time went, which runner ran it and why, and where the output is. An incremental
 * run also says what it read, skipped and rewrote itself, before the lake's totals.
 */
final class RunSummary {
  private RunSummary() {}

  static String manifestPath(RunConfig config) {
    return config.output() + "/" + OutputPaths.MANIFESTS + "/" + config.runId() + ".json";
  }

  static JsonNode readManifest(String path) throws IOException {
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)))) {
      return new ObjectMapper().readTree(in);
    }
  }

  /** The quality section: rules passed of evaluated, then each rule on a line. */
  static void printQuality(PrintWriter out, JsonNode q) {
    if (q.isMissingNode()) {
      return;
    }
    out.println();
    out.printf(
        Locale.ROOT,
        "  quality (%s): %d of %d rules passed, pass rate %.0f%%%s%n",
        q.path("source").asText(),
        q.path("passed").asLong(),
        q.path("passed").asLong() + q.path("failed").asLong(),
        q.path("pass_rate").asDouble() * 100,
        q.path("skipped").asLong() > 0 ? ", " + q.path("skipped").asLong() + " skipped" : "");
    for (JsonNode r : q.path("rules")) {
      String status = r.path("status").asText();
      String where =
          "failed".equals(status) && !"run".equals(r.path("per").asText())
              ? " at " + r.path("worst").asText()
              : "";
      out.printf(
          Locale.ROOT,
          "    %-22s %-34s %10s %-10s %s%s%n",
          r.path("name").asText(),
          r.path("check").asText() + " per " + r.path("per").asText(),
          r.path("value").isNull() ? "-" : r.path("value").asText(),
          r.path("threshold").asText(),
          "failed".equals(status)
              ? status.toUpperCase(Locale.ROOT) + " (" + r.path("severity").asText() + ")"
              : status,
          where);
    }
  }

  static void print(PrintWriter out, RunConfig config, double secs, Map<String, Double> stages) {
    print(out, config, manifestPath(config), secs, stages);
  }

  /**
   * As {@link #print(PrintWriter, RunConfig, double, Map)}, from the manifest at {@code manifest}.
   */
  static void print(
      PrintWriter out, RunConfig config, String manifest, double secs, Map<String, Double> stages) {
    JsonNode m;
    try {
      m = readManifest(manifest);
    } catch (IOException e) {
      out.println(
          "trendlake: run "
              + config.runId()
              + " finished, but its manifest could not be read: "
              + e.getMessage());
      return;
    }
    JsonNode t = m.path("totals");
    out.printf(
        Locale.ROOT,
        "trendlake run %s %s in %.1f s on %s%n",
        m.path("run_id").asText(),
        m.path("status").asText(),
        secs,
        m.path("runner").asText());
    if (!config.runnerReason().isEmpty()) {
      out.println("  runner: " + config.runnerReason());
    }
    if (!stages.isEmpty()) {
      out.println("  stages: " + StageTimes.describe(stages));
    }
    Dataset dataset = config.dataset();
    String kind = dataset.mainKind();
    String mainRoot = dataset.mainFolder() + "/";
    long files = 0;
    for (JsonNode f : m.path("files")) {
      if (kind.equals(f.path("kind").asText())) {
        files++;
      }
    }
    JsonNode run = m.path("run");
    boolean incremental = "incremental".equals(m.path("mode").asText());
    if (incremental) {
      long read = 0;
      for (JsonNode f : run.path("files_read")) {
        if (f.asText().startsWith(mainRoot)) {
          read++;
        }
      }
      out.printf(
          Locale.ROOT,
          "  this run: read %d %s file(s), skipped %d processed before, dropped %d;"
              + " %d records: %d to silver, %d quarantined, %d duplicates;"
              + " rewrote %d partition(s), removed %d%n",
          read,
          kind,
          run.path("files_skipped").asLong(),
          run.path("files_dropped").size(),
          run.path("records").asLong(),
          run.path("silver").asLong(),
          run.path("quarantined").asLong(),
          run.path("duplicates").asLong(),
          run.path("partitions_rewritten").size(),
          run.path("partitions_removed").size());
    }
    out.printf(
        Locale.ROOT,
        (incremental ? "  the lake now: " : "  read ")
            + "%d records from %d %s files: %d to silver, %d quarantined, %d"
            + " duplicates, %d encoding repairs%n",
        t.path("records").asLong(),
        files,
        kind,
        t.path("silver").asLong(),
        t.path("quarantined").asLong(),
        t.path("duplicates").asLong(),
        t.path("encoding_repairs").asLong());
    printSkipped(out, m.path("skipped"));
    out.println();
    out.printf(
        Locale.ROOT,
        "  %-8s %10s %10s %17s%n",
        dataset.groupCol().name(),
        "silver",
        "gold",
        "unknown_" + dataset.side().kind());
    for (Iterator<Map.Entry<String, JsonNode>> it = m.path("regions").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.printf(
          Locale.ROOT,
          "  %-8s %10d %10d %17d%n",
          e.getKey(),
          e.getValue().path("silver").asLong(),
          e.getValue().path("gold").asLong(),
          e.getValue().path("unknown_category").asLong());
    }
    JsonNode reasons = t.path("quarantined_by_reason");
    if (reasons.size() > 0) {
      out.println();
      out.println("  quarantined by reason:");
      for (Iterator<Map.Entry<String, JsonNode>> it = reasons.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.printf(Locale.ROOT, "    %-24s %8d%n", e.getKey(), e.getValue().asLong());
      }
    }
    printQuality(out, m.path("quality"));
    JsonNode o = m.path("outputs");
    out.println();
    out.println("  written to:");
    StringBuilder partitions = new StringBuilder();
    for (Col<?> c : dataset.schema().partitionCols()) {
      partitions
          .append('/')
          .append(c.name())
          .append(c.type() == ValueType.DATE ? "=<yyyy-mm-dd>" : "=<" + c.name() + ">");
    }
    out.println("    gold        " + o.path("gold").asText() + partitions + "/");
    out.println(
        "    silver      "
            + o.path("silver_" + lastPart(dataset.silverTable())).asText()
            + ", "
            + o.path("silver_" + lastPart(dataset.side().table())).asText());
    out.println("    quarantine  " + o.path("quarantine").asText());
    out.println("    manifest    " + manifest);
  }

  /** Up to {@link #SKIPPED_SHOWN} skipped entries; the manifest lists them all. */
  static void printSkipped(PrintWriter out, JsonNode skipped) {
    if (skipped.size() == 0) {
      return;
    }
    out.printf(
        Locale.ROOT,
        "  NOT READ: %d entr%s under the bronze root (the manifest lists them all):%n",
        skipped.size(),
        skipped.size() == 1 ? "y" : "ies");
    int shown = 0;
    for (JsonNode s : skipped) {
      if (shown++ == SKIPPED_SHOWN) {
        out.printf(Locale.ROOT, "    ... and %d more%n", skipped.size() - SKIPPED_SHOWN);
        break;
      }
      out.println("    " + printable(s.path("path").asText()) + ": " + s.path("reason").asText());
    }
  }

  static final int SKIPPED_SHOWN = 20;

  /** Control characters (a newline in a file name) shown as escapes, so one entry is one line. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        b.append(c == '\n' ? "\\n" : String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static String lastPart(String table) {
    return table.substring(table.lastIndexOf('/') + 1);
  }
}
