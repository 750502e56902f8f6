package dev.trendlake.pipeline.io;

import java.io.Serializable;

/**
 * Where a run writes: every file goes first to {@code <output>/_staging/<run-id>/<relative>} and is
 * moved to {@code <output>/<relative>} only when the whole run has succeeded and reconciled. A
 * retried bundle rewrites the same staging names, so retries never duplicate a file.
 */
public final class OutputPaths implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String SILVER_STATISTICS = "silver/statistics";
  public static final String SILVER_CATEGORIES = "silver/categories";
  public static final String GOLD_TRENDING = "gold/trending";
  public static final String QUARANTINE = "quarantine";
  public static final String MANIFESTS = "_manifests";
  public static final String STAGING = "_staging";

  private final String output;
  private final String runId;

  public OutputPaths(String output, String runId) {
    this.output = output.endsWith("/") ? output.substring(0, output.length() - 1) : output;
    this.runId = runId;
  }

  public String output() {
    return output;
  }

  public String runId() {
    return runId;
  }

  public String stagingRoot() {
    return output + "/" + STAGING + "/" + runId;
  }

  public String staging(String relative) {
    return stagingRoot() + "/" + relative;
  }

  public String resolve(String relative) {
    return output + "/" + relative;
  }

  /** Part file names: {@code part-00000.parquet}, in write order, the same on every runner. */
  public static String partName(int index, String extension) {
    return String.format("part-%05d.%s", index, extension);
  }
}
