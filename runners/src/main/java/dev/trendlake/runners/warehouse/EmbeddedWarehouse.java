package dev.trendlake.runners.warehouse;

import dev.trendlake.pipeline.warehouse.WarehouseException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local default warehouse: a PostgreSQL 17 server run from the embedded binaries, with its data
 * in a fixed folder ({@code <output>/warehouse/pgdata}) so the star schema survives between runs
 * and {@code ./trendlake sql} can open it again. It listens on localhost only, on a free port, with
 * trust authentication for the local {@code postgres} user, so it has no password to leak. The
 * process that starts it stops it: a run or a query for its duration, or {@link WarehouseServer}
 * until {@code trendlake warehouse stop}.
 */
public final class EmbeddedWarehouse implements AutoCloseable {
  public static final String DATA = "pgdata";
  public static final String DATABASE = "postgres";
  public static final String USER = "postgres";

  private final EmbeddedPostgres pg;
  private final Path dataDir;

  private EmbeddedWarehouse(EmbeddedPostgres pg, Path dataDir) {
    this.pg = pg;
    this.dataDir = dataDir;
  }

  /** Starts (initialising on first use) the server whose data lives under {@code warehouseDir}. */
  public static EmbeddedWarehouse start(Path warehouseDir) {
    return start(warehouseDir, 0, true);
  }

  /** As {@link #start(Path)}, listening on {@code port} (0: a free one). */
  public static EmbeddedWarehouse start(Path warehouseDir, int port) {
    return start(warehouseDir, port, true);
  }

  /**
   * As {@link #start(Path, int)}; with {@code stopOnJvmExit=false} no shutdown hook of the library
   * stops the server when the JVM exits: {@link #close()} must.
   */
  public static EmbeddedWarehouse start(Path warehouseDir, int port, boolean stopOnJvmExit) {
    Path data = warehouseDir.toAbsolutePath().normalize().resolve(DATA);
    try {
      Files.createDirectories(data);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres pg =
          builder
              .setDataDirectory(data)
              .setCleanDataDirectory(false)
              .setRegisterShutdownHook(stopOnJvmExit)
              .setServerConfig("listen_addresses", "localhost")
              .setServerConfig("max_connections", "50")
              // a local, re-loadable copy: a crash may lose the last commits, never consistency,
              // and the
              // next run's MERGE restores them; fewer checkpoints during large loads
              .setServerConfig("synchronous_commit", "off")
              .setServerConfig("max_wal_size", "2GB")
              // no replicas or archives of a local copy: a first load into empty tables then
              // writes them without WAL (they were truncated in the same transaction)
              .setServerConfig("wal_level", "minimal")
              .setServerConfig("max_wal_senders", "0")
              .start();
      return new EmbeddedWarehouse(pg, data);
    } catch (IOException | RuntimeException e) {
      throw new WarehouseException(
          "could not start the embedded PostgreSQL warehouse in "
              + data
              + ": "
              + e.getMessage()
              + " (is another trendlake process using it? 'trendlake warehouse status' tells;"
              + " use --warehouse=none to skip the warehouse)");
    }
  }

  public int port() {
    return pg.getPort();
  }

  public Path dataDir() {
    return dataDir;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + DATABASE;
  }

  @Override
  public void close() {
    try {
      pg.close();
    } catch (IOException e) {
      throw new WarehouseException(
          "could not stop the embedded PostgreSQL warehouse in " + dataDir + ": " + e.getMessage());
    }
  }
}
