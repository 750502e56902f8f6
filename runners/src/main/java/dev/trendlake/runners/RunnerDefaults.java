package dev.trendlake.runners;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Launch-time defaults per runner, added only where the user did not set the option.
 *
 * <ul>
 *   <li>DirectRunner: encodability and immutability enforcement off. They re-encode and compare
 *       every element to catch DoFn bugs in tests; a user's run should not pay for them (tests
 *       build their own TestPipeline, which keeps them on). {@code blockOnRun=false}: {@code run()}
 *       returns a live result, whose metrics the progress lines read while the job works; the
 *       launcher waits for it.
 *   <li>FlinkRunner: an embedded cluster ({@code [local]}) unless {@code --flinkMaster} says
 *       otherwise; inside a Flink client ({@code flink run}, an EMR step) {@code [auto]}, so the
 *       job goes to the client's cluster instead of a MiniCluster inside the client. Object reuse
 *       and {@code fasterCopy} (no defensive copy between chained operators), both safe because
 *       every trendlake record is immutable and no DoFn mutates its input. The job runs in Flink's
 *       batch mode, Beam's default for bounded input ({@code --streaming=false}), on Flink's
 *       DataStream API ({@code --useDataStreamForBatch}): the DataSet translation cannot chain a
 *       multi-output ParDo to its successors, so every record was serialised between steps;
 *       measured -23% CPU on 200k rows (docs/benchmark.md). The embedded cluster gets {@link
 *       EmbeddedFlinkConf} (bounded managed memory) unless the user points at a Flink
 *       configuration.
 *   <li>{@link #forManagedFlink(boolean)}: the streaming settings for Managed Service for Apache
 *       Flink.
 * </ul>
 */
public final class RunnerDefaults {
  private RunnerDefaults() {}

  /** The defaults of a batch run. */
  public static List<String> apply(List<String> given) {
    return apply(given, false);
  }

  /**
   * The defaults of a run; a continuous one's embedded cluster gets {@link EmbeddedFlinkConf}'s
   * continuous settings (the rest of a continuous run's defaults are {@link #forContinuous}'s).
   */
  public static List<String> apply(List<String> given, boolean continuous) {
    String[] args = given.toArray(new String[0]);
    List<String> out = new ArrayList<>(given);
    String runner = value(args, "runner");
    if (runner == null
        || runner.equalsIgnoreCase("DirectRunner")
        || runner.endsWith(".DirectRunner")) {
      addDefault(out, args, "enforceEncodability", "false");
      addDefault(out, args, "enforceImmutability", "false");
      addDefault(out, args, "blockOnRun", "false");
    } else if (isFlink(runner)) {
      if (value(args, "flinkMaster") == null) {
        addDefault(out, args, "flinkMaster", FlinkClientContext.active() ? "[auto]" : "[local]");
      }
      addDefault(out, args, "objectReuse", "true");
      addDefault(out, args, "fasterCopy", "true");
      addDefault(out, args, "useDataStreamForBatch", "true");
      boolean embedded = "[local]".equals(value(out.toArray(new String[0]), "flinkMaster"));
      String envConf = System.getenv("FLINK_CONF_DIR");
      if (embedded
          && value(args, "flinkConfDir") == null
          && (envConf == null || envConf.isBlank())) {
        String par = value(args, "parallelism");
        int parallelism =
            par == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(par.trim());
        out.add("--flinkConfDir=" + EmbeddedFlinkConf.write(parallelism, continuous));
      }
    }
    return out;
  }

  /** A continuous run's longest open bundle on Flink ({@link #forContinuous}). */
  static final String CONTINUOUS_MAX_BUNDLE_MILLIS = "5000";

  /**
   * Added for a continuous run ({@code --continuous}), where the user did not set them: streaming
   * execution on every runner; on Flink, exactly-once checkpoints every minute (with a pause of at
   * least five seconds between two), a bounded number of restarts from the last checkpoint (the
   * service's are endless, a local run should end with its error). The start-up source stays alive
   * (Beam's default with checkpoints on), and the launcher cancels the job once its watcher says it
   * has ended ({@code WatchEnded}): with the source finished, Flink runs the watcher's resume
   * timers in a loop inside the operator's end-of-input flush, where the task takes no checkpoint
   * barrier and no cancel, so the job could neither be restored nor stopped.
   *
   * <p>Also on Flink, fewer wake-ups while the job waits for files (docs/benchmark.md, "Continuous
   * runs, re-measured"): {@code maxBundleTimeMills} 5 s instead of Beam's 1 s for streaming, the
   * longest a bundle stays open; every operator checks it on a timer at half that period, whether
   * or not anything came. Nothing in a continuous job waits for a bundle's end: records leave as
   * they are processed, and commits follow processing-time timers ({@code --commitDelay}). The
   * embedded cluster's output buffers wait longer too ({@link EmbeddedFlinkConf}). A longer {@code
   * autoWatermarkInterval} was tried as well and made no measurable difference, so it is left
   * alone.
   */
  public static List<String> forContinuous(List<String> given) {
    String[] args = given.toArray(new String[0]);
    List<String> out = new ArrayList<>(given);
    addDefault(out, args, "streaming", "true");
    if (isFlink(value(args, "runner"))) {
      addDefault(out, args, "checkpointingInterval", "60000");
      addDefault(out, args, "minPauseBetweenCheckpoints", "5000");
      addDefault(out, args, "checkpointingMode", "EXACTLY_ONCE");
      addDefault(out, args, "numberOfExecutionRetries", "3");
      addDefault(out, args, "executionRetryDelay", "5000");
      addDefault(out, args, "maxBundleTimeMills", CONTINUOUS_MAX_BUNDLE_MILLIS);
    }
    return out;
  }

  static boolean isFlink(String runner) {
    return runner != null
        && (runner.equalsIgnoreCase("FlinkRunner") || runner.endsWith(".FlinkRunner"));
  }

  /**
   * Options for an application on Managed Service for Apache Flink, which runs jobs in streaming
   * mode: a continuous job by default ({@code continuous=false} in the property group runs the
   * batch graph once). The service applies its own checkpoint configuration (60 s interval, 5 s
   * minimum pause, exactly once) and restart strategy (fixed delay, every 10 s) unless the
   * application's checkpoint configuration is CUSTOM; the same values are set here so a local run
   * of {@link ManagedFlinkMain} behaves like the service, with a bounded number of restarts instead
   * of the service's endless ones. A batch run gets {@code shutdownSourcesAfterIdleMs=0}, which
   * lets its bounded sources finish (Beam otherwise keeps them alive once checkpointing is on, and
   * the job never ends); a continuous job keeps its source alive ({@link #forContinuous}). The
   * master is left to {@link #apply}: the service's cluster inside its client, the embedded one in
   * a local run.
   */
  public static Map<String, String> forManagedFlink(boolean continuous) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("continuous", String.valueOf(continuous));
    d.put("streaming", "true");
    d.put("checkpointingInterval", "60000");
    d.put("minPauseBetweenCheckpoints", "5000");
    d.put("checkpointingMode", "EXACTLY_ONCE");
    if (!continuous) {
      d.put("shutdownSourcesAfterIdleMs", "0");
    }
    d.put("numberOfExecutionRetries", "3");
    d.put("executionRetryDelay", "10000");
    d.put("objectReuse", "true");
    d.put("fasterCopy", "true");
    return d;
  }

  static String value(String[] args, String name) {
    String prefix = "--" + name + "=";
    String found = null;
    for (String a : args) {
      if (a.startsWith(prefix)) {
        found = a.substring(prefix.length());
      }
    }
    return found;
  }

  private static void addDefault(List<String> out, String[] args, String name, String value) {
    if (value(args, name) == null) {
      out.add("--" + name + "=" + value);
    }
  }
}
