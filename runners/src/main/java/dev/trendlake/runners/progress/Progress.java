package dev.trendlake.runners.progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prints a run's progress to stderr every few seconds while it works, from Beam metrics ({@link
 * Snapshot}, read by a {@link Supplier} the launcher picks per runner): files and bytes read of
 * what was listed at launch, rows per second, partitions written, elapsed time and an ETA while
 * reading; then the warehouse load, rows staged of the gold rows, then each table merged.
 *
 * <p>Three forms: on a terminal one line that rewrites itself; otherwise plain lines; with {@code
 * --logFormat=json} one JSON object a line ({@code "event": "progress"}). A line is printed every
 * interval even when no counter moved (the shuffle's sort, a MERGE), so a user sees the run is
 * alive. {@link #finish} prints the final line (100% once the run has read everything) from the
 * finished run's metrics.
 */
public final class Progress implements AutoCloseable {
  /** How progress lines look. */
  public enum Style {
    TERMINAL,
    PLAIN,
    JSON
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintWriter err;
  private final Style style;
  private final long totalFiles;
  private final long totalBytes;
  private final long started = System.nanoTime();
  private final ScheduledExecutorService timer;
  private int lastWidth;

  private Progress(
      PrintWriter err, Style style, long totalFiles, long totalBytes, ScheduledExecutorService t) {
    this.err = err;
    this.style = style;
    this.totalFiles = totalFiles;
    this.totalBytes = totalBytes;
    this.timer = t;
  }

  /**
   * Starts printing every {@code seconds} what {@code source} reports (it may throw or return null
   * while the job is starting: that tick prints nothing).
   */
  public static Progress start(
      PrintWriter err,
      Style style,
      long totalFiles,
      long totalBytes,
      int seconds,
      Supplier<Snapshot> source) {
    ScheduledExecutorService t =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread th = new Thread(r, "trendlake-progress");
              th.setDaemon(true);
              return th;
            });
    Progress p = new Progress(err, style, totalFiles, totalBytes, t);
    t.scheduleWithFixedDelay(() -> p.tick(source), seconds, seconds, TimeUnit.SECONDS);
    return p;
  }

  /** A line of its own, such as the Flink web UI address, printed between progress lines. */
  public synchronized void note(String text) {
    clearTerminalLine();
    if (style == Style.JSON) {
      ObjectNode n = JSON.createObjectNode().put("event", "progress_note").put("message", text);
      err.println(n);
    } else {
      err.println("trendlake: " + text);
    }
    err.flush();
  }

  private void tick(Supplier<Snapshot> source) {
    Snapshot s;
    try {
      s = source.get();
    } catch (RuntimeException e) {
      return; // the job is starting or its metrics are not reachable this time: try again
    }
    if (s != null) {
      print(s, false);
    }
  }

  /** Stops the timer and prints the final line from the finished run's counters. */
  public synchronized void finish(Snapshot last) {
    timer.shutdownNow();
    if (last != null) {
      print(last, true);
    }
    if (style == Style.TERMINAL && lastWidth > 0) {
      err.println();
      lastWidth = 0;
    }
    err.flush();
  }

  @Override
  public void close() {
    finish(null);
  }

  private synchronized void print(Snapshot s, boolean last) {
    double elapsed = (System.nanoTime() - started) / 1e9;
    if (last && warehouse(s) && style != Style.JSON) {
      // the final word on the lake too, before the warehouse's
      Snapshot lake =
          new Snapshot(s.files(), s.bytes(), s.records(), s.partitions(), s.kept(), 0, Map.of());
      print(lake, false);
      if (style == Style.TERMINAL) {
        err.println();
        lastWidth = 0;
      }
    }
    String line = style == Style.JSON ? json(s, elapsed, last) : text(s, elapsed);
    if (style == Style.TERMINAL) {
      String padded = line + " ".repeat(Math.max(0, lastWidth - line.length()));
      err.print("\r" + padded);
      lastWidth = line.length();
    } else {
      err.println(line);
    }
    err.flush();
  }

  private void clearTerminalLine() {
    if (style == Style.TERMINAL && lastWidth > 0) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      lastWidth = 0;
    }
  }

  /** The percentage of the listed bytes read (files when there are no bytes). */
  double percent(Snapshot s) {
    if (totalBytes > 0) {
      return Math.min(100.0, 100.0 * s.bytes() / totalBytes);
    }
    return totalFiles > 0 ? Math.min(100.0, 100.0 * s.files() / totalFiles) : 100.0;
  }

  /** Seconds left while reading, from the bytes read so far; -1 when not estimable. */
  double eta(Snapshot s, double elapsed) {
    double pct = percent(s);
    return pct <= 0 || pct >= 100 ? -1 : elapsed * (100 - pct) / pct;
  }

  String text(Snapshot s, double elapsed) {
    StringBuilder b = new StringBuilder("trendlake: ");
    if (warehouse(s)) {
      b.append(
          String.format(
              Locale.ROOT,
              "warehouse: staged %,d of %,d rows (%.0f%%)",
              s.rowsStaged(),
              s.kept(),
              s.kept() == 0 ? 100.0 : 100.0 * s.rowsStaged() / s.kept()));
      for (Map.Entry<String, Long> m : s.merged().entrySet()) {
        b.append(String.format(Locale.ROOT, ", merged %s %,d", m.getKey(), m.getValue()));
      }
      return b.append(String.format(Locale.ROOT, ", elapsed %s", clock(elapsed))).toString();
    }
    b.append(
        String.format(
            Locale.ROOT,
            "read %,d/%,d files, %s/%s (%.0f%%), %,d rows, %,.0f rows/s, %,d partitions written,"
                + " elapsed %s",
            s.files(),
            totalFiles,
            megabytes(s.bytes()),
            megabytes(totalBytes),
            percent(s),
            s.records(),
            elapsed > 0 ? s.records() / elapsed : 0.0,
            s.partitions(),
            clock(elapsed)));
    double eta = eta(s, elapsed);
    if (eta >= 0) {
      b.append(", ETA ").append(clock(eta)).append(" to read");
    }
    return b.toString();
  }

  String json(Snapshot s, double elapsed, boolean last) {
    ObjectNode n = JSON.createObjectNode();
    n.put("event", "progress");
    n.put("phase", warehouse(s) ? "warehouse" : "lake");
    n.put("files", s.files()).put("files_total", totalFiles);
    n.put("bytes", s.bytes()).put("bytes_total", totalBytes);
    n.put("percent", Math.round(percent(s) * 10) / 10.0);
    n.put("rows", s.records());
    n.put("rows_per_second", elapsed > 0 ? Math.round(s.records() / elapsed) : 0);
    n.put("partitions", s.partitions());
    n.put("gold_rows", s.kept()).put("rows_staged", s.rowsStaged());
    ObjectNode merged = n.putObject("merged");
    s.merged().forEach(merged::put);
    n.put("elapsed_s", Math.round(elapsed * 10) / 10.0);
    double eta = eta(s, elapsed);
    if (eta >= 0) {
      n.put("eta_s", Math.round(eta));
    }
    n.put("final", last);
    return n.toString();
  }

  private static boolean warehouse(Snapshot s) {
    return s.rowsStaged() > 0 || !s.merged().isEmpty();
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  private static String clock(double secs) {
    long s = Math.round(secs);
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
