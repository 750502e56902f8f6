package dev.trendlake.pipeline.warehouse;

import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes gold partitions into a run's staging tables over JDBC (the fact staging table, and the
 * star's other staged tables), on a connection the caller's transaction owns: first removes what an
 * earlier attempt staged of the partitions (so a retried bundle replaces its rows instead of adding
 * to them), then the rows, by PostgreSQL's COPY protocol or by batched INSERTs ({@link
 * WarehouseLoader.StageMethod}), then a record of each partition in the run's batch table.
 */
final class FactStager {
  private static final int BATCH = 5_000;
  private static final int CHUNK = 1_000;
  private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"));

  private final StagingSql sql;
  private final Star star;
  private final StarSchema.RunTables tables;
  private final int[] stageTypes;

  /** The star's row mapping, kept for the stager's life (it caches, e.g. channel keys). */
  private final Star.StageRows rows;

  FactStager(StarSql sql, StarSchema.RunTables tables) {
    this.sql = new StagingSql(sql);
    this.star = sql.star();
    this.tables = tables;
    this.stageTypes = sqlTypes(star.stageFact());
    this.rows = star.stageRows();
  }

  /** The JDBC type each column is bound as. */
  static int[] sqlTypes(List<StarSchema.Column> columns) {
    int[] out = new int[columns.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          switch (columns.get(i).kind()) {
            case VARCHAR, TEXT -> Types.VARCHAR;
            case BIGINT -> Types.BIGINT;
            case INTEGER -> Types.INTEGER;
            case SMALLINT -> Types.SMALLINT;
            case BOOLEAN -> Types.BOOLEAN;
            case TIMESTAMP -> Types.TIMESTAMP;
            case DATE -> Types.DATE;
            case DOUBLE -> Types.DOUBLE;
          };
    }
    return out;
  }

  /** The staged day of a partition, as the batch table and the fact key it. */
  int dateKey(Partition p) {
    return StagedRow.dateKey(star.dataset().day(p.rows().get(0)));
  }

  /**
   * Removes what an earlier attempt staged of these partitions (their rows and records), found in
   * the small batch table, so the large fact staging table is scanned only on a retry.
   */
  void forgetEarlierAttempts(Connection c, List<Partition> partitions) throws SQLException {
    for (int from = 0; from < partitions.size(); from += CHUNK) {
      List<Partition> chunk = partitions.subList(from, Math.min(partitions.size(), from + CHUNK));
      List<String> staged = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.stagedBatches(tables, chunk.size()))) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i).path());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            staged.add(rs.getString(1));
          }
        }
      }
      if (staged.isEmpty()) {
        continue;
      }
      for (String delete : sql.deleteBatches(tables, staged.size())) {
        try (PreparedStatement ps = c.prepareStatement(delete)) {
          for (int i = 0; i < staged.size(); i++) {
            ps.setString(i + 1, staged.get(i));
          }
          ps.executeUpdate();
        }
      }
    }
  }

  /** Records the partitions as staged, in the transaction that staged their rows. */
  void recordBatches(Connection c, List<Partition> partitions) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.insertBatch(tables))) {
      for (Partition p : partitions) {
        if (p.rows().isEmpty()) {
          continue;
        }
        ps.setString(1, p.path());
        ps.setString(2, p.group());
        ps.setInt(3, dateKey(p));
        ps.setLong(4, p.rows().size());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Stages the partitions by the COPY protocol; returns the fact rows staged. */
  long copyIn(Connection c, List<Partition> partitions) throws SQLException {
    long staged = copyIn(c, sql.copyStageFactFromStdin(tables), partitions, -1);
    for (int i = 0; i < star.staged().size(); i++) {
      copyIn(c, sql.copyStagedFromStdin(tables, i), partitions, i);
    }
    return staged;
  }

  /** One COPY: of the fact staging rows ({@code index} -1) or of the other staged table's. */
  private long copyIn(Connection c, String statement, List<Partition> partitions, int index)
      throws SQLException {
    CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(statement);
    long count = 0;
    StringBuilder sb = new StringBuilder(1 << 17);
    try {
      for (Partition p : partitions) {
        String batch = p.path();
        for (Row r : p.rows()) {
          if (index < 0) {
            rows.appendFactCopy(sb, batch, r);
            count++;
          } else {
            for (Object[] v : rows.staged(index, batch, r)) {
              StagedRow.appendCopyText(sb, v);
              count++;
            }
          }
          if (sb.length() >= 1 << 16) {
            write(copy, sb);
          }
        }
      }
      write(copy, sb);
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        try {
          copy.cancelCopy();
        } catch (SQLException ignored) {
          // the connection is already broken; WarehouseRetry replaces it
        }
      }
    }
    return count;
  }

  private static void write(CopyIn copy, StringBuilder sb) throws SQLException {
    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(b, 0, b.length);
    sb.setLength(0);
  }

  /** Stages the partitions by batched INSERTs; returns the fact rows staged. */
  long insertBatches(Connection c, List<Partition> partitions) throws SQLException {
    long staged = insertBatches(c, sql.insertStageFact(tables), stageTypes, partitions, -1);
    for (int i = 0; i < star.staged().size(); i++) {
      int[] types = sqlTypes(star.staged().get(i).columns());
      insertBatches(c, sql.insertStaged(tables, i), types, partitions, i);
    }
    return staged;
  }

  private long insertBatches(
      Connection c, String statement, int[] types, List<Partition> partitions, int index)
      throws SQLException {
    long count = 0;
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      int pending = 0;
      for (Partition p : partitions) {
        String batch = p.path();
        for (Row r : p.rows()) {
          List<Object[]> values =
              index < 0 ? List.<Object[]>of(rows.fact(batch, r)) : rows.staged(index, batch, r);
          for (Object[] v : values) {
            bind(ps, v, types);
            ps.addBatch();
            count++;
            if (++pending == BATCH) {
              ps.executeBatch();
              pending = 0;
            }
          }
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    }
    return count;
  }

  /** Binds one row's values, each as its column's JDBC type ({@link #sqlTypes}). */
  static void bind(PreparedStatement ps, Object[] v, int[] types) throws SQLException {
    for (int i = 0; i < v.length; i++) {
      Object x = v[i];
      if (x == null) {
        ps.setNull(i + 1, types[i]);
      } else if (x instanceof LocalDateTime t) {
        ps.setTimestamp(i + 1, Timestamp.from(t.toInstant(ZoneOffset.UTC)), UTC);
      } else if (x instanceof LocalDate d) {
        ps.setDate(i + 1, java.sql.Date.valueOf(d));
      } else {
        ps.setObject(i + 1, x, types[i]);
      }
    }
  }
}
