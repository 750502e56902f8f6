package dev.trendlake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.StringJoiner;

/** The benchmark's results as a short table for the terminal (the JSON file has everything). */
final class BenchReport {
  private BenchReport() {}

  static String table(JsonNode result) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-8s %10s %9s %8s %9s %7s %7s %8s %8s %7s %12s%n",
            "runner",
            "rows",
            "MB",
            "wall_s",
            "rows/s",
            "MB/s",
            "cpu_s",
            "rss_MiB",
            "heap_MiB",
            "x_floor",
            "load(1m)"));
    for (JsonNode f : result.path("parse_floor")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-8s %10d %9.1f %8.2f %9d %7.1f %7s %8s %8s %7s %12s%n",
              "floor",
              f.path("rows").asLong(),
              f.path("bytes").asLong() / 1e6,
              f.path("wall_s").asDouble(),
              f.path("rows_per_s").asLong(),
              f.path("mb_per_s").asDouble(),
              "-",
              "-",
              "-",
              "1.00",
              "-"));
    }
    for (JsonNode r : result.path("runs")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-8s %10d %9.1f %8.2f %9d %7.1f %7.1f %8d %8d %7.2f %12s%n",
              r.path("runner").asText(),
              r.path("rows").asLong(),
              r.path("bytes").asLong() / 1e6,
              r.path("wall_s").asDouble(),
              r.path("rows_per_s").asLong(),
              r.path("mb_per_s").asDouble(),
              r.path("cpu_s").asDouble(),
              r.path("peak_rss_mib").asLong(),
              r.path("peak_heap_mib").asLong(),
              r.path("x_parse_floor").asDouble(),
              r.path("load_before").asText().split(" ")[0]));
    }
    for (JsonNode r : result.path("runs")) {
      StringJoiner stages = new StringJoiner(", ");
      r.path("stage_s")
          .fields()
          .forEachRemaining(e -> stages.add(e.getKey() + " " + e.getValue().asDouble()));
      if (stages.length() > 0) {
        sb.append(
            String.format(
                Locale.ROOT,
                "stages of %s, %d rows (s): %s%n",
                r.path("runner").asText(),
                r.path("rows").asLong(),
                stages));
      }
    }
    return sb.toString();
  }
}
