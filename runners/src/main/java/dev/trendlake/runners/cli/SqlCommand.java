package dev.trendlake.runners.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.trendlake.pipeline.warehouse.Dialect;
import dev.trendlake.pipeline.warehouse.Secrets;
import dev.trendlake.pipeline.warehouse.Sql;
import dev.trendlake.pipeline.warehouse.WarehouseException;
import dev.trendlake.pipeline.warehouse.WarehousePlan;
import dev.trendlake.pipeline.warehouse.WarehouseTarget;
import dev.trendlake.runners.warehouse.EmbeddedWarehouse;
import dev.trendlake.runners.warehouse.WarehouseServer;
import dev.trendlake.runners.warehouse.WarehouseSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trendlake sql "<query>"}: runs one statement against the warehouse of the last local run
 * (as remembered in {@value WarehouseSession#LAST}; the server {@code trendlake warehouse start}
 * keeps up for its folder, or else an embedded server started on its data folder for the query and
 * stopped after) and prints the result as an aligned table, CSV or JSON lines. {@code
 * --output=<dir>} opens the embedded warehouse of another output folder; {@code --warehouse=<jdbc
 * url>} (with {@code --warehouseUser}, password from the environment) any other. The search path is
 * the trendlake schema, so table names need no prefix. Exit 0, 1 on a failed query, 2 on bad usage.
 */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Runs one SQL statement against the warehouse of the last local run.",
    footer = {"", "Example: trendlake sql --format=csv \"SELECT * FROM dim_region\""})
public final class SqlCommand implements Callable<Integer> {
  private static final int MAX_ROWS = 1000;
  private static final int MAX_WIDTH = 60;

  /** How results are printed. */
  public enum Format {
    table,
    csv,
    json
  }

  @Parameters(arity = "1", paramLabel = "<SQL>", description = "The statement, as one argument.")
  String query;

  @Option(
      names = "--output",
      paramLabel = "<folder>",
      description = "Open the embedded warehouse of this output folder.")
  String output;

  @Option(
      names = "--warehouse",
      paramLabel = "<jdbc url>",
      description = "A jdbc:postgresql:// or jdbc:redshift:// warehouse instead.")
  String url;

  @Option(names = "--warehouseUser", paramLabel = "<user>", description = "Its user.")
  String user;

  @Option(
      names = "--warehouseSchema",
      paramLabel = "<name>",
      description = "Schema on the search path (default: the last run's, else trendlake).")
  String schema;

  @Option(
      names = "--format",
      paramLabel = "table|csv|json",
      defaultValue = "table",
      description =
          "table (aligned, at most 1000 rows, long values cut), csv (RFC 4180, every row) or json"
              + " (one object a line, every row). Default: ${DEFAULT-VALUE}.")
  Format format;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (query == null || query.isBlank()) {
      err.println("trendlake sql: give the query as one argument, e.g. trendlake sql \"SELECT 1\"");
      return 2;
    }
    String embeddedDir = null;
    String secretArn = null;
    if (url == null && output == null) {
      try {
        Properties p = WarehouseSession.last();
        schema = schema != null ? schema : p.getProperty("schema");
        if ("embedded".equals(p.getProperty("kind"))) {
          embeddedDir = p.getProperty("dir");
        } else {
          url = p.getProperty("url");
          user = user != null ? user : p.getProperty("user");
          secretArn = p.getProperty("secretArn");
        }
      } catch (IOException e) {
        output = "lake";
      }
    }
    if (url == null && embeddedDir == null) {
      embeddedDir = Paths.get(output, "warehouse").toString();
    }
    schema = schema == null ? "trendlake" : schema;
    if (url == null && !Files.isDirectory(Paths.get(embeddedDir, EmbeddedWarehouse.DATA))) {
      err.println(
          "trendlake sql: no warehouse at "
              + embeddedDir
              + ": run trendlake run first (a local --output loads an embedded warehouse there)");
      return 2;
    }
    if (url != null && Dialect.of(url) == null) {
      err.println(
          "trendlake sql: --warehouse must be a jdbc:postgresql:// or jdbc:redshift:// URL");
      return 2;
    }
    EmbeddedWarehouse embedded = null;
    WarehouseTarget target = null;
    try {
      WarehousePlan plan;
      if (url == null) {
        plan =
            new WarehousePlan(
                "embedded", null, user, schema, null, WarehouseTarget.LoadMethod.JDBC, null, 1);
        Path dir = Path.of(embeddedDir).toAbsolutePath().normalize();
        java.util.Optional<WarehouseServer.Announced> up = WarehouseServer.live(dir);
        if (up.isPresent()) {
          target = plan.target(up.get().jdbcUrl()); // kept up by 'trendlake warehouse start'
        } else {
          embedded = EmbeddedWarehouse.start(dir);
          target = plan.target(embedded.jdbcUrl());
        }
      } else {
        plan =
            new WarehousePlan(
                "jdbc", url, user, schema, secretArn, WarehouseTarget.LoadMethod.JDBC, null, 1);
        target = plan.target(null);
      }
      try (Connection c = target.connect();
          Statement st = c.createStatement()) {
        c.setAutoCommit(true);
        st.execute("SET search_path TO " + Sql.identifier("schema", schema) + ", public");
        if (format == Format.table) {
          st.setMaxRows(MAX_ROWS + 1);
        }
        if (st.execute(query)) {
          try (ResultSet rs = st.getResultSet()) {
            switch (format) {
              case table -> printTable(rs, out);
              case csv -> printCsv(rs, out);
              case json -> printJson(rs, out);
            }
          }
        } else {
          out.println("(" + st.getUpdateCount() + " rows affected)");
        }
      }
      out.flush();
      return 0;
    } catch (SQLException e) {
      err.println(
          "trendlake sql: " + Secrets.scrub(e.getMessage()) + " (" + target.describe() + ")");
      return 1;
    } catch (WarehouseException | IOException e) {
      err.println("trendlake sql: " + e.getMessage());
      return 1;
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** RFC 4180: a header line, fields quoted when they hold a comma, quote or line break. */
  static void printCsv(ResultSet rs, PrintWriter out) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    StringBuilder line = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      line.append(i > 1 ? "," : "").append(csv(md.getColumnLabel(i)));
    }
    out.print(line.append("\r\n"));
    while (rs.next()) {
      line.setLength(0);
      for (int i = 1; i <= n; i++) {
        String v = rs.getString(i);
        line.append(i > 1 ? "," : "").append(v == null ? "" : csv(v));
      }
      out.print(line.append("\r\n"));
    }
  }

  private static String csv(String v) {
    boolean quote =
        v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
    return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
  }

  /** One JSON object a line; numbers and booleans as JSON values, everything else as text. */
  static void printJson(ResultSet rs, PrintWriter out) throws SQLException, IOException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    JsonFactory json = new JsonFactory();
    while (rs.next()) {
      java.io.StringWriter w = new java.io.StringWriter();
      try (JsonGenerator g = json.createGenerator(w)) {
        g.writeStartObject();
        for (int i = 1; i <= n; i++) {
          g.writeFieldName(md.getColumnLabel(i));
          Object v = rs.getObject(i);
          if (v == null) {
            g.writeNull();
          } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
          } else if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            g.writeNumber(((Number) v).longValue());
          } else if (v instanceof java.math.BigDecimal d) {
            g.writeNumber(d);
          } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
          } else {
            g.writeString(rs.getString(i));
          }
        }
        g.writeEndObject();
      }
      out.println(w);
    }
  }

  /** Prints a result set as an aligned table: numbers right-aligned, long values cut. */
  static void printTable(ResultSet rs, PrintWriter out) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    String[] head = new String[n];
    int[] width = new int[n];
    boolean[] numeric = new boolean[n];
    for (int i = 0; i < n; i++) {
      head[i] = md.getColumnLabel(i + 1);
      width[i] = head[i].length();
      int t = md.getColumnType(i + 1);
      numeric[i] =
          t == java.sql.Types.BIGINT
              || t == java.sql.Types.INTEGER
              || t == java.sql.Types.SMALLINT
              || t == java.sql.Types.NUMERIC
              || t == java.sql.Types.DECIMAL
              || t == java.sql.Types.DOUBLE
              || t == java.sql.Types.REAL;
    }
    List<String[]> rows = new ArrayList<>();
    boolean more = false;
    while (rs.next()) {
      if (rows.size() == MAX_ROWS) {
        more = true;
        break;
      }
      String[] r = new String[n];
      for (int i = 0; i < n; i++) {
        String v = rs.getString(i + 1);
        v = v == null ? "" : v.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        if (v.length() > MAX_WIDTH) {
          v = v.substring(0, MAX_WIDTH - 3) + "...";
        }
        r[i] = v;
        width[i] = Math.max(width[i], v.length());
      }
      rows.add(r);
    }
    StringBuilder sep = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sep.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.println(line(head, width, new boolean[n]));
    out.println(sep);
    for (String[] r : rows) {
      out.println(line(r, width, numeric));
    }
    out.println(
        "("
            + rows.size()
            + (more ? "+" : "")
            + " row"
            + (rows.size() == 1 ? "" : "s")
            + (more ? ", output cut at " + MAX_ROWS : "")
            + ")");
  }

  private static String line(String[] cells, int[] width, boolean[] right) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append(" | ");
      }
      String pad = " ".repeat(width[i] - cells[i].length());
      sb.append(right[i] ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
    }
    return sb.toString();
  }
}
