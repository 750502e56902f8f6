package dev.trendlake.pipeline.commit;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the manifest says about the run itself. {@code options} is built from an explicit list of
 * option names by the caller, never by dumping every option, so no secret can slip into it.
 */
public record RunInfo(
    String runId,
    String startedAt,
    String runner,
    String input,
    String output,
    TreeMap<String, String> options)
    implements Serializable {

  public RunInfo {
    options = new TreeMap<>(options);
  }

  public static RunInfo of(
      String runId,
      String startedAt,
      String runner,
      String input,
      String output,
      Map<String, String> options) {
    return new RunInfo(runId, startedAt, runner, input, output, new TreeMap<>(options));
  }
}
