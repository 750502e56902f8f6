package dev.trendlake.runners.warehouse;

import dev.trendlake.pipeline.warehouse.Secrets;
import dev.trendlake.pipeline.warehouse.Star;
import dev.trendlake.pipeline.warehouse.StarSchema;
import dev.trendlake.pipeline.warehouse.StarSql;
import dev.trendlake.pipeline.warehouse.WarehousePlan;
import dev.trendlake.pipeline.warehouse.WarehouseTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

/**
 * The launch side of the warehouse for one run: starts the embedded server when the plan asks for
 * it (its data under {@code <output>/warehouse}), hands the graph a {@link WarehouseTarget},
 * remembers where the last local run loaded so that {@code trendlake sql} finds it ({@value
 * #LAST}), prints the summary lines, and stops the embedded server at the end. When {@code
 * trendlake warehouse start} keeps a server up for the folder, the run loads into that one and
 * leaves it running. The graph half is {@code LoadWarehouse}.
 */
public final class WarehouseSession implements AutoCloseable {

  /**
   * Where {@code trendlake sql} looks for the last run's warehouse: relative to the working
   * directory, or in the folder named by the system property {@code trendlake.stateDir} (tests).
   */
  public static final String LAST = ".trendlake/last-warehouse.properties";

  private final WarehousePlan plan;
  private final String output;
  private final Star star;
  private final WarehouseTarget target;
  private final EmbeddedWarehouse embedded;

  private WarehouseSession(
      WarehousePlan plan,
      String output,
      Star star,
      WarehouseTarget target,
      EmbeddedWarehouse embedded) {
    this.plan = plan;
    this.output = output;
    this.star = star;
    this.target = target;
    this.embedded = embedded;
  }

  /**
   * Opens the planned warehouse (starting the embedded one) for loading {@code star}; null when the
   * plan is none.
   */
  public static WarehouseSession open(WarehousePlan plan, String output, Star star) {
    return open(plan, output, star, true);
  }

  /**
   * As {@link #open(WarehousePlan, String, Star)}; {@code stopOnJvmExit=false} leaves stopping the
   * embedded server to {@link #close()} also when the JVM is shutting down, for a caller whose own
   * shutdown hook waits for its work to end (a continuous run's last commits still load it).
   */
  public static WarehouseSession open(
      WarehousePlan plan, String output, Star star, boolean stopOnJvmExit) {
    if (!plan.enabled()) {
      return null;
    }
    if (plan.embedded()) {
      // a server kept up by 'trendlake warehouse start' serves this folder: load into it, and
      // leave it running
      Optional<WarehouseServer.Announced> up =
          WarehouseServer.live(embeddedDir(output).toAbsolutePath().normalize());
      if (up.isPresent()) {
        return new WarehouseSession(plan, output, star, plan.target(up.get().jdbcUrl()), null);
      }
      EmbeddedWarehouse e = EmbeddedWarehouse.start(embeddedDir(output), 0, stopOnJvmExit);
      return new WarehouseSession(plan, output, star, plan.target(e.jdbcUrl()), e);
    }
    return new WarehouseSession(plan, output, star, plan.target(null), null);
  }

  static Path embeddedDir(String output) {
    return Paths.get(output, "warehouse");
  }

  public WarehouseTarget target() {
    return target;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
  }

  static Path lastFile() {
    String dir = System.getProperty("trendlake.stateDir");
    return dir == null ? Paths.get(LAST) : Paths.get(dir, "last-warehouse.properties");
  }

  /** Remembers this run's warehouse for {@code trendlake sql} (no password, ever). */
  public void remember() {
    Properties p = new Properties();
    p.setProperty("kind", plan.kind());
    p.setProperty("schema", plan.schema());
    if (plan.embedded()) {
      p.setProperty("dir", embeddedDir(output).toAbsolutePath().normalize().toString());
    } else {
      p.setProperty("url", plan.url());
      if (plan.user() != null) {
        p.setProperty("user", plan.user());
      }
      if (plan.secretArn() != null) {
        p.setProperty("secretArn", plan.secretArn());
      }
    }
    Path f = lastFile();
    try {
      Files.createDirectories(f.getParent());
      try (OutputStream out = Files.newOutputStream(f)) {
        p.store(out, "the warehouse of the last local trendlake run, read by trendlake sql");
      }
    } catch (IOException e) {
      // not fatal: trendlake sql also accepts --warehouse and --output
    }
  }

  /** What the last local run remembered. */
  public static Properties last() throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(lastFile())) {
      p.load(in);
    }
    return p;
  }

  /** Row counts per table, printed in the run summary. */
  public void printSummary(PrintWriter out) {
    out.println();
    out.println(
        "  warehouse   "
            + (plan.embedded()
                ? "embedded PostgreSQL 17, data in " + embeddedDir(output)
                : target.describe())
            + ", schema "
            + target.schema());
    try (Connection c = target.connect();
        Statement st = c.createStatement()) {
      StarSql schema = target.sql(star);
      StringBuilder line = new StringBuilder("             ");
      for (StarSchema.Table t : star.tables()) {
        if (t == StarSchema.LOAD_RUN) {
          continue;
        }
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + schema.q(t.name()))) {
          rs.next();
          line.append(t.name()).append('=').append(rs.getLong(1)).append("  ");
        }
      }
      c.rollback();
      out.println(line.toString().stripTrailing());
    } catch (SQLException | RuntimeException e) {
      out.println("             (row counts unavailable: " + Secrets.scrub(e.getMessage()) + ")");
    }
    out.println("  try         trendlake sql \"" + star.sampleQuery() + "\"");
  }
}
