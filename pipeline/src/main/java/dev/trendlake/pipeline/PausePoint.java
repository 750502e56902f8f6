package dev.trendlake.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named points where a test can stop a run to kill it there: with {@code
 * -Dtrendlake.pauseAt=<point>}, the run reaching that point creates the file named by {@code
 * -Dtrendlake.pauseMarker} and waits for ever, so a test kills it with SIGKILL at a known step
 * (while writing, midway through the commit) instead of guessing with timers. Unset, it does
 * nothing.
 */
public final class PausePoint {
  private static final Logger LOG = LoggerFactory.getLogger(PausePoint.class);

  /** After the first partition is staged, before the commit. */
  public static final String WRITE = "write";

  /** After half of the staged files have moved into place. */
  public static final String COMMIT = "commit";

  private PausePoint() {}

  public static boolean armed(String point) {
    return point.equals(System.getProperty("trendlake.pauseAt"));
  }

  public static void reach(String point) {
    if (!armed(point)) {
      return;
    }
    LOG.warn("Paused at '{}' (-Dtrendlake.pauseAt), waiting to be killed", point);
    String marker = System.getProperty("trendlake.pauseMarker");
    try {
      if (marker != null) {
        Files.writeString(Path.of(marker), point);
      }
      Thread.sleep(Long.MAX_VALUE);
    } catch (IOException | InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("pause at " + point + " interrupted", e);
    }
  }
}
