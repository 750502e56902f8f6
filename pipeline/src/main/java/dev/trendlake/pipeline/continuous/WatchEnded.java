package dev.trendlake.pipeline.continuous;

import dev.trendlake.pipeline.io.OutputPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;

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

  static final String NAME = "_watch_ended.json";

  public static String path(String output) {
    return new OutputPaths(output, "-").resolve(OutputPaths.MANIFESTS + "/" + NAME);
  }

  /** The reason the watcher gave, if it has ended. */
  public static Optional<String> reason(String output) throws IOException {
    MatchResult m = FileSystems.match(List.of(path(output)), EmptyMatchTreatment.ALLOW).get(0);
    if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(m.metadata().get(0).resourceId()))) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
    }
  }

  static void record(String output, String why) throws IOException {
    try (OutputStream os =
        Channels.newOutputStream(
            FileSystems.create(
                FileSystems.matchNewResource(path(output), false), "application/json"))) {
      os.write(
          ("{\"ended\": \"" + why.replace("\"", "'") + "\"}\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  public static void clear(String output) throws IOException {
    FileSystems.delete(
        List.of(FileSystems.matchNewResource(path(output), false)),
        MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }
}
