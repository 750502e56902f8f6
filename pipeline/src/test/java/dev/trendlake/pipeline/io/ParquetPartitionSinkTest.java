package dev.trendlake.pipeline.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import dev.trendlake.testkit.LakeReader;
import dev.trendlake.testkit.TrendingRows;
import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;
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
    return write(tmp.newFolder().toPath(), rows, maxBytesPerFile);
  }

  private static Path write(Path out, List<Row> rows, long maxBytesPerFile) throws Exception {
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

  /** Writes the test partition under {@code args[0]}: what each JVM of the next test runs. */
  public static void main(String[] args) throws Exception {
    write(Path.of(args[0]), rows(300), 20_000);
  }

  /**
   * Each JVM orders parquet-mr's sets of encodings differently: three JVMs writing the same
   * partition must still write the same bytes.
   */
  @Test
  public void everyJvmWritesTheSameBytes() throws Exception {
    List<Map<String, byte[]>> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path out = tmp.newFolder().toPath();
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  ParquetPartitionSinkTest.class.getName(),
                  out.toString())
              .inheritIO()
              .start();
      assertEquals(0, p.waitFor());
      Map<String, byte[]> files = new TreeMap<>();
      for (Path f : LakeReader.files(out, ".parquet")) {
        files.put(out.relativize(f).toString(), Files.readAllBytes(f));
      }
      assertEquals("silver and gold, 4 part files each", 8, files.size());
      runs.add(files);
    }
    for (Map<String, byte[]> run : runs.subList(1, runs.size())) {
      assertEquals(runs.get(0).keySet(), run.keySet());
      for (String f : run.keySet()) {
        assertArrayEquals(f, runs.get(0).get(f), run.get(f));
      }
    }
  }

  /** The order that makes them equal: every chunk lists its encodings in the enum's order. */
  @Test
  public void footersListEncodingsInOrder() throws Exception {
    Path staged = write(rows(100), Long.MAX_VALUE);
    for (Path f : LakeReader.files(staged, ".parquet")) {
      byte[] b = Files.readAllBytes(f);
      int length = ByteBuffer.wrap(b, b.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      FileMetaData meta =
          Util.readFileMetaData(new ByteArrayInputStream(b, b.length - 8 - length, length));
      for (ColumnChunk c : meta.getRow_groups().get(0).getColumns()) {
        List<Integer> order =
            c.getMeta_data().getEncodings().stream().map(e -> e.getValue()).toList();
        assertEquals(
            f + " " + c.getMeta_data().getPath_in_schema(),
            order.stream().sorted().toList(),
            order);
      }
    }
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
