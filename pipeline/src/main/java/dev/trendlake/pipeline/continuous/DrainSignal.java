package dev.trendlake.pipeline.continuous;

import java.io.IOException;

/**
 * How a continuous job is asked to end after its current commits: a marker, {@code
 * <output>/_manifests/_drain.json}, that the launcher writes on Ctrl-C (or a person writes by hand)
 * and the bronze watcher looks for on every poll. On seeing it the watcher emits no new file, waits
 * until everything it emitted is committed, then ends, and the job with it. A marker on the output
 * store reaches the watcher wherever it runs (this JVM, an embedded cluster, a remote TaskManager),
 * which a signal to the launching process would not. The launcher removes it before a job starts
 * and after it ends.
 */
public final class DrainSignal {
  private DrainSignal() {}

  private static final OutputMarker MARKER = new OutputMarker("_drain.json", "requested");

  public static String path(String output) {
    return MARKER.path(output);
  }

  /** True when the marker is there. */
  public static boolean requested(String output) throws IOException {
    return MARKER.exists(output);
  }

  /** Writes the marker, saying why. */
  public static void request(String output, String why) throws IOException {
    MARKER.write(output, why);
  }

  public static void clear(String output) throws IOException {
    MARKER.clear(output);
  }
}
