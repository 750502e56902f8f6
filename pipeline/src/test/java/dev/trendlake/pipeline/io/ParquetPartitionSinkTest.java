package dev.trendlake.pipeline.io;

import static org.junit.Assert.assertEquals;

import dev.trendlake.testkit.LakeReader;
import dev.trendlake.testkit.TrendingRows;
import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Writes partitions with {@link ParquetPartitionSink} and reads them back with parquet-avro, an
 * independent reader: every value of every column comes back as it went in, the files carry the
 * schema of the contract ({@link Schemas}), and partitions roll over into part files in order.
 */
public class ParquetPartitionSinkTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final String PATH = "region=us/trending_date=2018-01-02";

  /** Rows that exercise every type, every null, empty and repeated text, and non-ASCII text. */
  static List<Row> rows(int n) {
    List<Row> rows = new ArrayList<>();
    String[] texts = {
      "Same boilerplate\nacross videos", "Ünïcödé ✓ 日本語 😀", "x".repeat(5000), "plain"
    };
    for (int i = 0; i < n; i++) {
      boolean sparse = i % 5 == 3;
      rows.add(
          TrendingRows.of(
              "us",
              17533,
              String.format("vid%08d", i),
              sparse ? null : texts[i % texts.length],
              sparse ? null : "channel " + (i % 7),
              sparse ? null : "UC" + (i % 3),
              10 + i % 4,
              1_514_764_800_000_000L + i,
              sparse ? List.of() : List.of("tag" + (i % 9), texts[(i + 1) % texts.length]),
              1000L * i,
              sparse ? null : (long) i,
              sparse ? null : 0L,
              sparse ? null : 7L,
              sparse ? null : "https://i.ytimg.com/vi/" + i + "/default.jpg",
              i % 2 == 0,
              i % 3 == 0,
              sparse ? null : Boolean.FALSE,
              sparse ? null : texts[(i + 2) % texts.length],
              "raw_statistics/region=us/f" + (i % 2) + ".csv",
              i + 2,
              100 + i,
              sparse ? null : "Music"));
    }
    return rows;
  }

  private Path write(List<Row> rows, long maxBytesPerFile) throws Exception {
    Path out = tmp.newFolder().toPath();
    ParquetPartitionSink sink =
        new ParquetPartitionSink(
            new OutputPaths(out.toString(), "run1"),
            TrendingColumns.SCHEMA,
            OutputPaths.SILVER_STATISTICS,
            OutputPaths.GOLD_TRENDING,
            maxBytesPerFile);
    sink.write(new Partition(PATH, "us", rows));
    return out.resolve("_staging/run1");
  }

  @Test
  public void everyValueComesBackAsWritten() throws Exception {
    List<Row> rows = rows(200);
    Path staged = write(rows, Long.MAX_VALUE);
    check(staged.resolve(OutputPaths.SILVER_STATISTICS + "/" + PATH), rows, true);
    check(staged.resolve(OutputPaths.GOLD_TRENDING + "/" + PATH), rows, false);
  }

  @Test
  public void partitionsRollOverInOrder() throws Exception {
    List<Row> rows = rows(50);
    Path staged = write(rows, 1000);
    Path silver = staged.resolve(OutputPaths.SILVER_STATISTICS + "/" + PATH);
    // source sizes 100..149 bytes, at most 1000 per file: 9, 8, 8, 7, 7, 7 and 4 rows
    List<Path> files = LakeReader.files(silver, ".parquet");
    assertEquals(7, files.size());
    assertEquals(9, LakeReader.read(files.get(0)).size());
    assertEquals(4, LakeReader.read(files.get(6)).size());
    check(silver, rows, true);
    check(staged.resolve(OutputPaths.GOLD_TRENDING + "/" + PATH), rows, false);
  }

  private static void check(Path dir, List<Row> rows, boolean silver) throws Exception {
    List<Col<?>> cols =
        silver ? TrendingColumns.SCHEMA.silverCols() : TrendingColumns.SCHEMA.goldCols();
    Schema avro = silver ? Schemas.SILVER_STATISTICS : Schemas.GOLD;
    List<GenericRecord> read = new ArrayList<>();
    for (Path f : LakeReader.files(dir, ".parquet")) {
      assertEquals(
          new AvroSchemaConverter(ParquetFiles.configuration()).convert(avro),
          LakeReader.parquetSchema(f));
      read.addAll(LakeReader.read(f));
    }
    assertEquals(rows.size(), read.size());
    for (int i = 0; i < rows.size(); i++) {
      GenericRecord r = read.get(i);
      assertEquals(cols.size(), r.getSchema().getFields().size());
      for (Col<?> c : cols) {
        assertEquals(
            "row " + i + " column " + c.name(), expected(rows.get(i), c), actual(r.get(c.name())));
      }
    }
  }

  private static Object expected(Row row, Col<?> c) {
    Object v = row.value(c.index());
    return v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : v;
  }

  private static Object actual(Object v) {
    if (v instanceof CharSequence s) {
      return s.toString();
    }
    if (v instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return v;
  }
}
