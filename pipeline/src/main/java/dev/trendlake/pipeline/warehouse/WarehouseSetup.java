package dev.trendlake.pipeline.warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The launch-side half of the warehouse: checks the options ({@link #check}), starts the embedded
 * server when asked ({@link #open}), remembers where the last local run loaded so that {@code
 * ./trendlake sql} finds it ({@value #LAST}), and prints the summary lines. The graph half is
 * {@link LoadWarehouse}.
 */
public final class WarehouseSetup {
  private WarehouseSetup() {}

  /**
   * Where {@code ./trendlake sql} looks for the last run's warehouse: relative to the working
   * directory, in the folder named by the system property {@code trendlake.stateDir} if set
   * (tests).
   */
  public static final String LAST = ".trendlake/last-warehouse.properties";

  static Path lastFile() {
    String dir = System.getProperty("trendlake.stateDir");
    return dir == null ? Paths.get(LAST) : Paths.get(dir, "last-warehouse.properties");
  }

  /** What the options ask for, checked; {@code kind} is none, embedded or jdbc. */
  public record Plan(
      String kind,
      String url,
      String user,
      String schema,
      String secretArn,
      WarehouseTarget.LoadMethod load,
      String copyRoleArn,
      int attempts,
      String output) {

    public boolean enabled() {
      return !kind.equals("none");
    }

    /** What the manifest and the logs may show: never a password, never a URL query string. */
    public String shown() {
      return kind.equals("jdbc") ? Secrets.displayUrl(url) : kind;
    }
  }

  /** Checks the warehouse options; adds every problem, in words, to {@code problems}. */
  public static Plan check(
      WarehouseOptions o, String output, boolean outputIsLocal, List<String> problems) {
    String w = o.getWarehouse() == null ? "none" : o.getWarehouse().trim();
    String kind;
    if (w.equals("none") || w.equals("embedded")) {
      kind = w;
    } else if (Dialect.of(w) != null) {
      kind = "jdbc";
      String lower = w.toLowerCase(Locale.ROOT);
      if (lower.contains("password=")
          || lower.contains("pwd=")
          || w.substring(w.indexOf("://") + 3).split("[/?]")[0].contains("@")) {
        problems.add(
            "--warehouse must not carry a password or user info: pass the user with --warehouseUser"
                + " and the password in "
                + Passwords.ENV
                + " or with --warehouseSecretArn");
      }
    } else {
      problems.add(
          "--warehouse must be none, embedded, or a jdbc:postgresql:// or jdbc:redshift:// URL (got"
              + " '"
              + Secrets.displayUrl(w)
              + "')");
      kind = "none";
    }
    if (!Sql.isIdentifier(o.getWarehouseSchema())) {
      problems.add(
          "--warehouseSchema '"
              + o.getWarehouseSchema()
              + "' is not a valid name: use lower-case letters, "
              + "digits and '_', starting with a letter or '_', at most 63 characters");
    }
    WarehouseTarget.LoadMethod load = null;
    String l =
        o.getWarehouseLoad() == null ? "jdbc" : o.getWarehouseLoad().toLowerCase(Locale.ROOT);
    if (l.equals("jdbc")) {
      load = WarehouseTarget.LoadMethod.JDBC;
    } else if (l.equals("copy")) {
      load = WarehouseTarget.LoadMethod.COPY;
      if (!w.startsWith("jdbc:redshift://")) {
        problems.add(
            "--warehouseLoad=copy needs a jdbc:redshift:// warehouse (PostgreSQL cannot read"
                + " Parquet from S3)");
      }
      if (!output.startsWith("s3://")) {
        problems.add(
            "--warehouseLoad=copy needs an s3:// --output: Redshift COPY reads the gold Parquet"
                + " from S3");
      }
      try {
        Sql.roleArn(o.getRedshiftCopyRoleArn());
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    } else {
      problems.add("--warehouseLoad must be jdbc or copy");
    }
    if (kind.equals("embedded") && !outputIsLocal) {
      problems.add(
          "--warehouse=embedded keeps its data under <output>/warehouse and needs a local --output:"
              + " use --warehouse=none or a JDBC URL with an s3:// output");
    }
    if (o.getWarehouseAttempts() < 1) {
      problems.add("--warehouseAttempts must be at least 1");
    }
    return new Plan(
        kind,
        kind.equals("jdbc") ? w : null,
        o.getWarehouseUser(),
        o.getWarehouseSchema(),
        o.getWarehouseSecretArn(),
        load,
        o.getRedshiftCopyRoleArn(),
        o.getWarehouseAttempts(),
        output);
  }

  /**
   * An open warehouse for one run: the target, and the embedded server to stop afterwards (if any).
   */
  public static final class Session implements AutoCloseable {
    private final Plan plan;
    private final WarehouseTarget target;
    private final EmbeddedWarehouse embedded;

    Session(Plan plan, WarehouseTarget target, EmbeddedWarehouse embedded) {
      this.plan = plan;
      this.target = target;
      this.embedded = embedded;
    }

    public WarehouseTarget target() {
      return target;
    }

    public Plan plan() {
      return plan;
    }

    @Override
    public void close() {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** Starts the embedded server if the plan asks for it; returns null for {@code none}. */
  public static Session open(Plan plan) {
    if (!plan.enabled()) {
      return null;
    }
    if (plan.kind().equals("embedded")) {
      EmbeddedWarehouse e = EmbeddedWarehouse.start(Paths.get(plan.output(), "warehouse"));
      String user = plan.user() != null ? plan.user() : EmbeddedWarehouse.USER;
      WarehouseTarget t =
          new WarehouseTarget(
              Dialect.POSTGRES,
              e.jdbcUrl(),
              user,
              plan.schema(),
              null,
              WarehouseTarget.LoadMethod.JDBC,
              null,
              plan.attempts(),
              500);
      return new Session(plan, t, e);
    }
    WarehouseTarget t =
        new WarehouseTarget(
            Dialect.of(plan.url()),
            plan.url(),
            plan.user(),
            plan.schema(),
            plan.secretArn(),
            plan.load(),
            plan.copyRoleArn(),
            plan.attempts(),
            500);
    return new Session(plan, t, null);
  }

  /** Remembers this run's warehouse for {@code ./trendlake sql} (no password, ever). */
  public static void remember(Plan plan) {
    Properties p = new Properties();
    p.setProperty("kind", plan.kind());
    p.setProperty("schema", plan.schema());
    if (plan.kind().equals("embedded")) {
      p.setProperty(
          "dir", Paths.get(plan.output(), "warehouse").toAbsolutePath().normalize().toString());
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
        p.store(out, "the warehouse of the last local trendlake run, read by ./trendlake sql");
      }
    } catch (IOException e) {
      // not fatal: ./trendlake sql also accepts --warehouse and --output
    }
  }

  public static Properties last() throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(lastFile())) {
      p.load(in);
    }
    return p;
  }

  /** Row counts per table, printed in the run summary. */
  public static void printSummary(PrintStream out, Session s) {
    out.println();
    out.println(
        "  warehouse   "
            + (s.plan().kind().equals("embedded")
                ? "embedded PostgreSQL 17, data in " + Paths.get(s.plan().output(), "warehouse")
                : s.target().describe())
            + ", schema "
            + s.target().schema());
    try (Connection c = s.target().connect();
        Statement st = c.createStatement()) {
      StarSchema schema = s.target().starSchema();
      StringBuilder line = new StringBuilder("             ");
      for (StarSchema.Table t : StarSchema.TABLES) {
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
    out.println(
        "  try         ./trendlake sql \"SELECT region_code, COUNT(*) AS rows, SUM(views) AS views"
            + " FROM fact_video_trending GROUP BY region_code ORDER BY region_code\"");
  }
}
