package dev.trendlake.runners.run;

import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.pipeline.s3.S3StoreOptions;
import dev.trendlake.runners.s3.S3Staging;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps {@code <output>/_staging/} from filling up: a failed run removes its own staging ({@link
 * #removeOwn}), and a new run removes what runs that are no longer alive left there ({@link
 * #sweepOthers}), so a run killed with -9, or one that failed on a full disk, does not make the
 * next one fail too.
 *
 * <p><b>Single writer.</b> The sweep relies on one run at a time per output: the output lock of
 * issue 14 makes that true. Until then it guards itself where it can: on a local disk each run
 * holds an OS lock on {@code _staging/<run-id>/.run.lock} while it lives ({@link #markAlive}; the
 * OS drops it when the process dies, kill -9 included), and staging whose lock is held is left
 * alone; on S3, which has no such lock, staging is swept only once nothing in it has changed for
 * {@link #S3_MIN_AGE}.
 */
public final class StagingSweep {
  private StagingSweep() {}

  static final String LOCK = ".run.lock";

  /** How long S3 staging must have been still before it counts as a dead run's. */
  public static final Duration S3_MIN_AGE = Duration.ofHours(6);

  /**
   * Marks this run alive until the result is closed: on a local output, an OS lock on a file in its
   * staging folder; nothing on S3.
   */
  public static Closeable markAlive(String output, String runId) throws IOException {
    if (!StorePaths.isLocal(output)) {
      return () -> {};
    }
    Path dir = staging(output).resolve(runId);
    Files.createDirectories(dir);
    FileChannel ch =
        FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = ch.tryLock();
    if (lock == null) {
      ch.close();
      throw new IOException(
          "another process is running with --runId=" + runId + " on this output: use another id");
    }
    return ch::close; // closing the channel releases the lock
  }

  /**
   * Removes the staging of every other run of {@code output} that is no longer alive, right after
   * the preflight and before this run writes anything.
   *
   * @param s3 the store options, for an {@code s3://} output; null for a local one
   * @param s3MinAge {@link #S3_MIN_AGE} in a run; tests pass less
   * @return what was removed, empty when nothing was
   */
  public static String sweepOthers(
      String output, String ownRunId, S3StoreOptions s3, Duration s3MinAge) {
    if (StorePaths.isS3(output)) {
      return S3Staging.sweepOthers(s3, output, ownRunId, s3MinAge);
    }
    Path root = staging(output);
    if (!Files.isDirectory(root)) {
      return "";
    }
    List<String> removed = new ArrayList<>();
    try (Stream<Path> list = Files.list(root)) {
      for (Path run : list.sorted().toList()) {
        String id = run.getFileName().toString();
        if (!id.equals(ownRunId) && !alive(run)) {
          removed.add(id + " (" + delete(run) + " files)");
        }
      }
    } catch (IOException | UncheckedIOException e) {
      return "could not sweep " + root + ": " + e.getMessage();
    }
    return removed.isEmpty()
        ? ""
        : "removed the staging of runs no longer alive: " + String.join(", ", removed);
  }

  /**
   * After a failed run: removes its staging. Workers still busy when the run failed may write a
   * file after a first pass (the DirectRunner reports the first failure at once), so passes repeat
   * until one finds nothing. Best effort: returns what it did.
   */
  public static String removeOwn(String output, String runId, S3StoreOptions s3) {
    if (StorePaths.isS3(output)) {
      return S3Staging.removeStaging(s3, output, runId);
    }
    Path dir = staging(output).resolve(runId);
    long files = 0;
    try {
      IOException last = null;
      for (int pass = 0; pass < 5 && Files.exists(dir); pass++) {
        if (pass > 0) {
          Thread.sleep(1000);
        }
        try {
          files += delete(dir);
          last = null;
        } catch (IOException | UncheckedIOException e) {
          // a worker still busy wrote into a folder between its listing and its removal
          last = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
        }
      }
      if (last != null && Files.exists(dir)) {
        throw last;
      }
      Path root = staging(output);
      try (Stream<Path> rest = Files.list(root)) {
        if (rest.findAny().isEmpty()) {
          Files.deleteIfExists(root);
        }
      } catch (java.nio.file.NoSuchFileException gone) {
        // the commit, or a rejected run's quarantine commit, removed the staging root already
      }
    } catch (IOException | UncheckedIOException e) {
      return "could not remove " + dir + " (" + e.getMessage() + "); delete it by hand";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "removed " + files + " staged file(s) from " + dir;
  }

  private static Path staging(String output) {
    return StorePaths.local(output).resolve(OutputPaths.STAGING);
  }

  /** True while a process holds the run's lock (this JVM included). */
  private static boolean alive(Path run) throws IOException {
    Path lockFile = run.resolve(LOCK);
    if (!Files.isDirectory(run) || !Files.exists(lockFile)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    }
  }

  /** Deletes a tree; returns the files deleted. */
  private static long delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    long files = 0;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!Files.isDirectory(p) && !p.getFileName().toString().equals(LOCK)) {
          files++;
        }
        Files.deleteIfExists(p);
      }
    }
    return files;
  }
}
