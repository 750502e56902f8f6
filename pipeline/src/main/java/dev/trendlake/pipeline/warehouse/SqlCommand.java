package dev.trendlake.pipeline.warehouse;

import java.io.IOException;
import java.io.PrintStream;
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

/**
 * {@code ./trendlake sql "<query>"}: runs one statement against the warehouse of the last local run
 * (as remembered in {@value WarehouseSetup#LAST}; the embedded server is started on its data folder
 * for the query and stopped after) and prints the result as an aligned table. {@code
 * --output=<dir>} opens the embedded warehouse of another output folder; {@code --warehouse=<jdbc
 * url>} (with {@code --warehouseUser}, password from {@value Passwords#ENV}) any other. The search
 * path is the trendlake schema, so table names need no prefix. Exit 0, 1 on a failed query, 2 on
 * bad usage.
 */
public final class SqlCommand {
  private SqlCommand() {}

  private static final int MAX_ROWS = 1000;
  private static final int MAX_WIDTH = 60;

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    String query = null;
    String output = null;
    String url = null;
    String user = null;
    String schema = null;
    for (String a : args) {
      if (a.startsWith("--output=")) {
        output = a.substring(9);
      } else if (a.startsWith("--warehouse=")) {
        url = a.substring(12);
      } else if (a.startsWith("--warehouseUser=")) {
        user = a.substring(16);
      } else if (a.startsWith("--warehouseSchema=")) {
        schema = a.substring(18);
      } else if (a.equals("--help") || a.equals("-h")) {
        out.println("Usage: ./trendlake sql [--output=<dir> | --warehouse=<jdbc url>] \"<SQL>\"");
        out.println(
            "Runs one statement against the warehouse of the last local run and prints the"
                + " result.");
        out.println("Example: ./trendlake sql \"SELECT * FROM dim_region\"");
        return 0;
      } else if (query == null) {
        query = a;
      } else {
        query = query + " " + a;
      }
    }
    if (query == null || query.isBlank()) {
      err.println(
          "trendlake sql: give the query as one argument, e.g. ./trendlake sql \"SELECT * FROM"
              + " dim_region\"");
      return 2;
    }
    String embeddedDir = null;
    String secretArn = null;
    if (url == null && output == null) {
      try {
        Properties p = WarehouseSetup.last();
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
      embeddedDir =
          Paths.get(output == null || output.equals("embedded") ? "lake" : output, "warehouse")
              .toString();
    }
    schema = schema == null ? "trendlake" : schema;
    if (embeddedDir != null
        && url == null
        && !Files.isDirectory(Paths.get(embeddedDir, EmbeddedWarehouse.DATA))) {
      err.println(
          "trendlake sql: no warehouse at "
              + embeddedDir
              + ": run ./trendlake run first (with the default "
              + "--warehouse=embedded)");
      return 2;
    }
    EmbeddedWarehouse embedded = null;
    WarehouseTarget target = null;
    try {
      if (url == null) {
        embedded = EmbeddedWarehouse.start(Path.of(embeddedDir));
        target = embedded.target(schema, 1);
      } else if (Dialect.of(url) == null) {
        err.println(
            "trendlake sql: --warehouse must be a jdbc:postgresql:// or jdbc:redshift:// URL");
        return 2;
      } else {
        target =
            new WarehouseTarget(
                Dialect.of(url),
                url,
                user,
                schema,
                secretArn,
                WarehouseTarget.LoadMethod.JDBC,
                null,
                1,
                500);
      }
      try (Connection c = target.connect();
          Statement st = c.createStatement()) {
        c.setAutoCommit(true);
        st.execute("SET search_path TO " + Sql.identifier("schema", schema) + ", public");
        st.setMaxRows(MAX_ROWS + 1);
        if (st.execute(query)) {
          try (ResultSet rs = st.getResultSet()) {
            printTable(rs, out);
          }
        } else {
          out.println("(" + st.getUpdateCount() + " rows affected)");
        }
      }
      return 0;
    } catch (SQLException e) {
      err.println(
          "trendlake sql: " + Secrets.scrub(e.getMessage()) + " (" + target.describe() + ")");
      return 1;
    } catch (WarehouseException e) {
      err.println("trendlake sql: " + e.getMessage());
      return 1;
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** Prints a result set as an aligned table: numbers right-aligned, long values cut. */
  public static void printTable(ResultSet rs, PrintStream out) throws SQLException {
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
