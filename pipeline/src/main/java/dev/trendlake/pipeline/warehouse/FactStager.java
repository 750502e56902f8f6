package dev.trendlake.pipeline.warehouse;

import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes gold partitions into a run's fact staging table over JDBC, on a connection the caller's
 * transaction owns: first removes what an earlier attempt staged of the partitions (so a retried
 * bundle replaces its rows instead of adding to them), then the rows, by PostgreSQL's COPY protocol
 * or by batched INSERTs ({@link WarehouseLoader.StageMethod}), then a record of each partition in
 * the run's batch table.
 */
final class FactStager {
  private static final int BATCH = 5_000;
  private static final int CHUNK = 1_000;
  private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"));

  private static final int[] STAGE_TYPES = {
    Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.INTEGER, Types.BIGINT, Types.BIGINT,
    Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.TIMESTAMP, Types.VARCHAR, Types.BIGINT,
    Types.BIGINT, Types.BIGINT, Types.BIGINT, Types.BOOLEAN, Types.BOOLEAN, Types.BOOLEAN
  };

  private final StarSql sql;
  private final StarSchema.RunTables tables;

  /** Channel keys are SHA-256 hashes: computed once per channel, not once per row. */
  private final Map<String, Long> channelKeys = new HashMap<>();

  FactStager(StarSql sql, StarSchema.RunTables tables) {
    this.sql = sql;
    this.tables = tables;
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
        ps.setInt(3, StagedRow.dateKey(p.rows().get(0).get(TrendingColumns.TRENDING_DATE)));
        ps.setLong(4, p.rows().size());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  long copyIn(Connection c, List<Partition> partitions) throws SQLException {
    CopyIn copy =
        c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql.copyStageFactFromStdin(tables));
    long rows = 0;
    StringBuilder sb = new StringBuilder(1 << 17);
    try {
      for (Partition p : partitions) {
        String batch = p.path();
        for (Row r : p.rows()) {
          StagedRow.appendCopyRow(sb, batch, r, channelKey(r));
          rows++;
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
    return rows;
  }

  private static void write(CopyIn copy, StringBuilder sb) throws SQLException {
    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(b, 0, b.length);
    sb.setLength(0);
  }

  long insertBatches(Connection c, List<Partition> partitions) throws SQLException {
    long rows = 0;
    try (PreparedStatement ps = c.prepareStatement(sql.insertStageFact(tables))) {
      int pending = 0;
      for (Partition p : partitions) {
        String batch = p.path();
        for (Row r : p.rows()) {
          bind(ps, StagedRow.values(batch, r, channelKey(r)));
          ps.addBatch();
          rows++;
          if (++pending == BATCH) {
            ps.executeBatch();
            pending = 0;
          }
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    }
    return rows;
  }

  private static void bind(PreparedStatement ps, Object[] v) throws SQLException {
    for (int i = 0; i < v.length; i++) {
      Object x = v[i];
      if (x == null) {
        ps.setNull(i + 1, STAGE_TYPES[i]);
      } else if (x instanceof LocalDateTime t) {
        ps.setTimestamp(i + 1, Timestamp.from(t.toInstant(ZoneOffset.UTC)), UTC);
      } else {
        ps.setObject(i + 1, x, STAGE_TYPES[i]);
      }
    }
  }

  private long channelKey(Row r) {
    String id = r.get(TrendingColumns.CHANNEL_ID);
    String title = r.get(TrendingColumns.CHANNEL_TITLE);
    String k = (id == null ? "" : id) + "\u0000" + (title == null ? "" : title);
    if (channelKeys.size() > 100_000) {
      channelKeys.clear();
    }
    return channelKeys.computeIfAbsent(k, x -> ChannelKey.of(id, title));
  }
}
