package dev.trendlake.pipeline.continuous;

import dev.trendlake.pipeline.io.OutputPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;

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

  static final String NAME = "_drain.json";

  public static String path(String output) {
    return new OutputPaths(output, "-").resolve(OutputPaths.MANIFESTS + "/" + NAME);
  }

  /** True when the marker is there. */
  public static boolean requested(String output) throws IOException {
    MatchResult m = FileSystems.match(List.of(path(output)), EmptyMatchTreatment.ALLOW).get(0);
    return m.status() == MatchResult.Status.OK && !m.metadata().isEmpty();
  }

  /** Writes the marker, saying why. */
  public static void request(String output, String why) throws IOException {
    try (OutputStream os =
        Channels.newOutputStream(
            FileSystems.create(
                FileSystems.matchNewResource(path(output), false), "application/json"))) {
      os.write(
          ("{\"requested\": \"" + why.replace("\"", "'") + "\"}\n")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  public static void clear(String output) throws IOException {
    FileSystems.delete(
        List.of(FileSystems.matchNewResource(path(output), false)),
        MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }
}
