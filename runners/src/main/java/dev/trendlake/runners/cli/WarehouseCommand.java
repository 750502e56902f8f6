package dev.trendlake.runners.cli;

import dev.trendlake.runners.warehouse.WarehouseServer;
import dev.trendlake.runners.warehouse.WarehouseServer.Announced;
import dev.trendlake.runners.warehouse.WarehouseSession;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trendlake warehouse start|stop|status}: keeps the embedded PostgreSQL of an output folder
 * up for other tools (psql, DBeaver, a BI tool) on a port it prints, with the URLs to connect.
 * {@code start} launches a {@link WarehouseServer}, a process of its own that outlives the command
 * (in a session of its own where {@code setsid} exists, so closing the terminal does not stop it),
 * and waits until it serves. {@code stop} asks it to stop (SIGTERM: PostgreSQL is shut down
 * cleanly) and waits. {@code status} tells a live server from a pid file whose process is gone.
 * While it runs, {@code trendlake run} and {@code trendlake sql} on that folder use it.
 *
 * <p>Exit status: 0 done (status: running), 1 failed (status: not running), 2 bad usage.
 */
@Command(
    name = "warehouse",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Keeps the embedded PostgreSQL warehouse of an output folder up for other tools.",
    subcommands = {
      WarehouseCommand.Start.class,
      WarehouseCommand.Stop.class,
      WarehouseCommand.Status.class
    },
    footer = {"", "Example: trendlake warehouse start && psql -h localhost -p <port> -U postgres"})
public final class WarehouseCommand implements Callable<Integer> {
  private static final long START_TIMEOUT_SECONDS = 120;
  private static final long STOP_TIMEOUT_SECONDS = 60;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** A subcommand: which output folder's warehouse, and where it prints. */
  abstract static class Sub implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin Folder folder = new Folder();

    @Override
    public Integer call() throws Exception {
      return run(spec.commandLine().getOut(), spec.commandLine().getErr(), folder.dir());
    }

    abstract int run(PrintWriter out, PrintWriter err, Path dir) throws Exception;
  }

  /** The option every subcommand shares: which output folder's warehouse. */
  static class Folder {
    @Option(
        names = "--output",
        paramLabel = "<folder>",
        description =
            "The output folder whose warehouse (<folder>/warehouse) to serve. Default: the last"
                + " local run's, else lake.")
    String output;

    Path dir() {
      if (output != null) {
        return Paths.get(output, "warehouse").toAbsolutePath().normalize();
      }
      try {
        Properties last = WarehouseSession.last();
        if ("embedded".equals(last.getProperty("kind")) && last.getProperty("dir") != null) {
          return Paths.get(last.getProperty("dir"));
        }
      } catch (IOException e) {
        // no run remembered: the default output folder
      }
      return Paths.get("lake", "warehouse").toAbsolutePath().normalize();
    }
  }

  static void printConnect(PrintWriter out, Announced a) {
    out.println("  port        " + a.port() + " (pid " + a.pid() + ", since " + a.started() + ")");
    out.println("  data        " + a.dir().resolve("pgdata"));
    out.println(
        "  psql        psql \"postgresql://postgres@localhost:"
            + a.port()
            + "/postgres?options=-csearch_path%3Dtrendlake\"");
    out.println(
        "  JDBC        "
            + a.jdbcUrl()
            + "?currentSchema=trendlake   (user postgres, no password: localhost only)");
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Starts the server.")
  static final class Start extends Sub {
    @Option(
        names = "--port",
        paramLabel = "<port>",
        description = "The port to listen on (default: a free one).")
    int port;

    @Override
    int run(PrintWriter out, PrintWriter err, Path dir) throws Exception {
      Optional<Announced> running = WarehouseServer.live(dir);
      if (running.isPresent()) {
        out.println("trendlake warehouse: already running for " + dir);
        printConnect(out, running.get());
        return 0;
      }
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve(WarehouseServer.FILE));
      Path log = dir.resolve("server.log");
      Process child =
          new ProcessBuilder(command(dir, port))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectErrorStream(true)
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
      while (System.nanoTime() < deadline) {
        Optional<Announced> up = WarehouseServer.live(dir);
        if (up.isPresent()) {
          out.println("trendlake warehouse: started for " + dir);
          printConnect(out, up.get());
          out.println("  stop with   trendlake warehouse stop --output=" + dir.getParent());
          return 0;
        }
        if (!child.isAlive() && WarehouseServer.announced(dir).isEmpty()) {
          break;
        }
        Thread.sleep(200);
      }
      err.println(
          "trendlake warehouse: the server did not start (see " + log + "): " + lastLine(log));
      return 1;
    }

    /**
     * The server's command line: this JVM's class path, a small heap (it only holds PostgreSQL's
     * process), in a session of its own when {@code setsid} exists.
     */
    private static List<String> command(Path dir, int port) {
      List<String> cmd = new ArrayList<>();
      for (String bin : List.of("/usr/bin/setsid", "/bin/setsid")) {
        if (Files.isExecutable(Path.of(bin))) {
          cmd.add(bin);
          break;
        }
      }
      cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp"));
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(WarehouseServer.class.getName());
      cmd.add(dir.toString());
      cmd.add(Integer.toString(port));
      return cmd;
    }

    private static String lastLine(Path log) {
      try {
        List<String> lines = Files.readAllLines(log);
        return lines.isEmpty() ? "(empty log)" : lines.get(lines.size() - 1);
      } catch (IOException e) {
        return "(no log)";
      }
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops the server.")
  static final class Stop extends Sub {
    @Override
    int run(PrintWriter out, PrintWriter err, Path dir) throws Exception {
      Optional<Announced> a = WarehouseServer.announced(dir);
      if (a.isEmpty()) {
        out.println("trendlake warehouse: not running for " + dir);
        return 0;
      }
      Optional<ProcessHandle> server =
          a.get().processAlive() ? ProcessHandle.of(a.get().pid()) : Optional.empty();
      if (server.isEmpty()) {
        Files.deleteIfExists(dir.resolve(WarehouseServer.FILE));
        out.println(
            "trendlake warehouse: was not running for "
                + dir
                + " (removed the stale pid file of pid "
                + a.get().pid()
                + ")");
        return 0;
      }
      server.get().destroy();
      try {
        server.get().onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        err.println(
            "trendlake warehouse: pid "
                + a.get().pid()
                + " did not stop within "
                + STOP_TIMEOUT_SECONDS
                + " s (see "
                + dir.resolve("server.log")
                + ")");
        return 1;
      }
      out.println(
          "trendlake warehouse: stopped (port " + a.get().port() + ", data kept in " + dir + ")");
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Says whether the server runs, and how to connect (exit 0 running, 1 not).")
  static final class Status extends Sub {
    @Override
    int run(PrintWriter out, PrintWriter err, Path dir) {
      Optional<Announced> a = WarehouseServer.announced(dir);
      if (a.isEmpty()) {
        out.println("trendlake warehouse: not running for " + dir);
        return 1;
      }
      if (a.get().live()) {
        out.println("trendlake warehouse: running for " + dir);
        printConnect(out, a.get());
        return 0;
      }
      out.println(
          "trendlake warehouse: not running for "
              + dir
              + (a.get().processAlive()
                  ? " (pid " + a.get().pid() + " is up but port " + a.get().port() + " answers not)"
                  : " (stale pid file: pid "
                      + a.get().pid()
                      + " is gone; 'trendlake warehouse stop' removes the file)"));
      return 1;
    }
  }
}
