package dev.trendlake.runners.warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded warehouse kept up between commands ({@code trendlake warehouse start}): a process of
 * its own, detached from the command line that started it, which runs the server on a folder's data
 * until it is told to stop (SIGTERM, from {@code trendlake warehouse stop}) and then stops
 * PostgreSQL cleanly. It announces itself in {@value #FILE} next to the data: its pid, port and
 * start time, written once the server accepts connections and removed when it has stopped. Other
 * commands ({@code run}, {@code sql}) that find a live server there connect to it instead of
 * starting their own (PostgreSQL would refuse a second server on the folder).
 */
public final class WarehouseServer {
  private WarehouseServer() {}

  /** The file that says a server is up for a warehouse folder. */
  public static final String FILE = "server.properties";

  /** What {@value #FILE} says: who serves the folder, on which port, since when. */
  public record Announced(long pid, int port, String started, Path dir) {
    public String jdbcUrl() {
      return "jdbc:postgresql://localhost:" + port + "/" + EmbeddedWarehouse.DATABASE;
    }

    /**
     * Whether the process is still there and is this server: a pid may be reused, but not by a
     * process started before the server announced itself.
     */
    public boolean processAlive() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .map(p -> p.info().startInstant().map(this::startedBy).orElse(true))
          .orElse(false);
    }

    private boolean startedBy(Instant processStart) {
      try {
        return !processStart.isAfter(Instant.parse(started));
      } catch (java.time.format.DateTimeParseException e) {
        return true;
      }
    }

    /** Whether something accepts connections on its port. */
    public boolean listening() {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    public boolean live() {
      return processAlive() && listening();
    }
  }

  /** What {@value #FILE} under {@code warehouseDir} says, if it exists (alive or stale). */
  public static Optional<Announced> announced(Path warehouseDir) {
    Path f = warehouseDir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(f)) {
      p.load(in);
      return Optional.of(
          new Announced(
              Long.parseLong(p.getProperty("pid")),
              Integer.parseInt(p.getProperty("port")),
              p.getProperty("started", "?"),
              warehouseDir));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The live server of {@code warehouseDir}, if one is up. */
  public static Optional<Announced> live(Path warehouseDir) {
    return announced(warehouseDir).filter(Announced::live);
  }

  /**
   * The detached server: {@code WarehouseServer <warehouse folder> <port, 0 for a free one>}.
   * Prints one line when it is up (to its log), serves until SIGTERM, then stops PostgreSQL.
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).toAbsolutePath().normalize();
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    EmbeddedWarehouse pg = EmbeddedWarehouse.start(dir, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    pg.close();
                    Files.deleteIfExists(dir.resolve(FILE));
                    System.out.println("trendlake warehouse: stopped at " + Instant.now());
                  } catch (IOException | RuntimeException e) {
                    System.out.println("trendlake warehouse: stopping failed: " + e.getMessage());
                  } finally {
                    stopped.countDown();
                  }
                },
                "trendlake-warehouse-stop"));
    announce(dir, ProcessHandle.current().pid(), pg.port());
    System.out.println(
        "trendlake warehouse: serving "
            + pg.dataDir()
            + " on port "
            + pg.port()
            + " (pid "
            + ProcessHandle.current().pid()
            + ")");
    stopped.await();
  }

  /** Written to a temporary file and moved, so a reader never sees half of it. */
  private static void announce(Path dir, long pid, int port) throws IOException {
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("port", Integer.toString(port));
    p.setProperty("started", Instant.now().toString());
    Path tmp = dir.resolve(FILE + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      p.store(out, "the trendlake warehouse server of this folder; removed when it stops");
    }
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
  }
}
