package dev.trendlake.reliability;

import dev.trendlake.runners.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code trendlake} the two ways the suite needs: in this JVM through the command line's own
 * entry ({@link Cli#execute}, what the bundled jar's main calls), and as a child JVM running the
 * launcher's main, which can be killed with -9 and, when this test runs as root, runs without the
 * capabilities that let root read any file (so unreadable entries are unreadable to it, as to any
 * user).
 */
final class Launch {
  private Launch() {}

  /** How a run ended. */
  record Result(int status, String out) {}

  /** {@code trendlake <args>} in this JVM. */
  static Result inProcess(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int status;
    try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      status = Cli.execute(args, ps, ps);
    }
    return new Result(status, buf.toString(StandardCharsets.UTF_8));
  }

  /** True when this process is root: child runs then drop the file-access capabilities. */
  static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** {@code trendlake <args>} as a child JVM, started; its output goes to {@code log}. */
  static Process start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (root() && new File("/usr/bin/setpriv").canExecute()) {
      cmd.addAll(
          List.of(
              "/usr/bin/setpriv",
              "--inh-caps=-all",
              "--bounding-set=-dac_override,-dac_read_search,-fowner",
              "--"));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add("dev.trendlake.runners.Launcher");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("LANG", "C.UTF-8");
    return pb.start();
  }

  /** {@code trendlake <args>} as a child JVM, to its end (at most {@code minutes}). */
  static Result child(Path log, int minutes, String... args) throws IOException {
    Process p = start(log, args);
    try {
      if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return new Result(-1, "did not end within " + minutes + " min\n" + Files.readString(log));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return new Result(p.exitValue(), Files.readString(log));
  }

  /** kill -9 of the process and the JVMs it started. */
  static void kill9(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly(); // SIGKILL on Linux
    p.waitFor(30, TimeUnit.SECONDS);
  }
}
