package dev.trendlake.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named points where a test can make a job fail once, to watch the runner recover: with {@code
 * -Dtrendlake.failOnceAt=<point>} and {@code -Dtrendlake.failOnceMarker=<file>}, the first time the
 * job reaches that point it creates the file and throws, so Flink restarts it from its last
 * checkpoint; the file stops it from failing again. Unset, it does nothing. Where {@link
 * PausePoint} stops a process to kill it whole, this fails one task inside a job that goes on.
 */
public final class FailPoint {
  private static final Logger LOG = LoggerFactory.getLogger(FailPoint.class);

  /** A continuous commit is in the lake, before the committer's state forgets its events. */
  public static final String AFTER_COMMIT = "after-commit";

  private FailPoint() {}

  public static void once(String point) {
    if (!point.equals(System.getProperty("trendlake.failOnceAt"))) {
      return;
    }
    String marker = System.getProperty("trendlake.failOnceMarker");
    if (marker == null) {
      return;
    }
    try {
      Files.createFile(Path.of(marker));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return;
    } catch (IOException e) {
      throw new IllegalStateException("could not write the fail-once marker " + marker, e);
    }
    LOG.warn("Failing once at '{}' (-Dtrendlake.failOnceAt)", point);
    throw new IllegalStateException("failure injected once at " + point);
  }
}
