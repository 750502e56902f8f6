package dev.trendlake.pipeline.continuous;

import java.io.IOException;
import java.util.Optional;

/**
 * The bronze watcher's word that a continuous job's work is over: a marker, {@code
 * <output>/_manifests/_watch_ended.json}, written once the watcher has ended ({@code
 * --stopWhenIdle}, or a drain) with everything it emitted committed and loaded.
 *
 * <p>Why a marker: on Flink a streaming job whose start-up source finishes stops taking checkpoint
 * barriers (the watcher's resume timers then fire in a loop inside the operator's end-of-input
 * flush), so the job keeps its source alive and can't end by itself when the watcher does. The
 * launcher watches for this marker and cancels the job, which then has nothing left to do; a
 * service that runs the job for ever (Managed Flink) never needs it. It is the reverse of {@link
 * DrainSignal}: that one asks the job to end, this one says it has.
 */
public final class WatchEnded {
  private WatchEnded() {}

  private static final OutputMarker MARKER = new OutputMarker("_watch_ended.json", "ended");

  public static String path(String output) {
    return MARKER.path(output);
  }

  /** The marker's text, if the watcher has ended. */
  public static Optional<String> reason(String output) throws IOException {
    return MARKER.read(output).map(String::trim);
  }

  static void record(String output, String why) throws IOException {
    MARKER.write(output, why);
  }

  public static void clear(String output) throws IOException {
    MARKER.clear(output);
  }
}
