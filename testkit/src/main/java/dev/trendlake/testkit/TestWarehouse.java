package dev.trendlake.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL 17 for the tests: started once per test class from the embedded binaries, on
 * 127.0.0.1 and a free port. The superuser {@code postgres} is trusted (tests inspect with it);
 * every other role must authenticate with scram-sha-256, so the password tests use a real password.
 */
public final class TestWarehouse implements AutoCloseable {
  public static final String LOADER = "loader";

  private final EmbeddedPostgres pg;

  public TestWarehouse() throws IOException {
    pg =
        EmbeddedPostgres.builder()
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setDataDirectoryCustomizer(
                dir -> {
                  try {
                    Files.writeString(
                        dir.toPath().resolve("pg_hba.conf"),
                        "local all all trust\n"
                            + "host all postgres 127.0.0.1/32 trust\n"
                            + "host all postgres ::1/128 trust\n"
                            + "host all all 127.0.0.1/32 scram-sha-256\n"
                            + "host all all ::1/128 scram-sha-256\n");
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .start();
  }

  public int port() {
    return pg.getPort();
  }

  public String url() {
    return "jdbc:postgresql://localhost:" + port() + "/postgres";
  }

  public Connection admin() throws SQLException {
    return DriverManager.getConnection(url(), "postgres", "");
  }

  public void createLoaderRole(String password) throws SQLException {
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute("DROP ROLE IF EXISTS " + LOADER);
      s.execute("CREATE ROLE " + LOADER + " LOGIN PASSWORD '" + password + "'");
      s.execute("GRANT CREATE ON DATABASE postgres TO " + LOADER);
    }
  }

  public long count(String sql) throws SQLException {
    try (Connection c = admin();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public List<List<String>> rows(String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = admin();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> r = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          r.add(rs.getString(i));
        }
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The rows of {@code query} as one comparable value: their count and the md5 of their text in a
   * stable order, so two schemas (or two loads) can be compared table by table.
   */
  public String digest(String query) throws SQLException {
    List<String> r =
        rows("SELECT COUNT(*), md5(string_agg(x::text, '|' ORDER BY x::text)) FROM ("
                + query
                + ") x")
            .get(0);
    return r.get(0) + " " + r.get(1);
  }

  public String one(String sql) throws SQLException {
    return rows(sql).get(0).get(0);
  }

  public void execute(String sql) throws SQLException {
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A port nobody listens on (bound, then released). */
  public static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public static Path bronze() {
    Path p = Path.of("../testdata/bronze").toAbsolutePath().normalize();
    if (!Files.isDirectory(p)) {
      p = Path.of("testdata/bronze").toAbsolutePath().normalize();
    }
    return p;
  }

  @Override
  public void close() throws IOException {
    pg.close();
  }
}
