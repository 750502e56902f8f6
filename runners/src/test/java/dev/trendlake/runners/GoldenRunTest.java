package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.trendlake.pipeline.io.Schemas;
import dev.trendlake.testkit.LakeReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.schema.MessageType;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Golden end-to-end test: {@code main} over {@code testdata/bronze} on the DirectRunner, every
 * output compared with what is checked in under {@code testdata/expected/}. To accept a deliberate
 * change of output, run with {@code -Dtrendlake.updateGolden=true} and review the diff.
 */
public class GoldenRunTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  static final Path ROOT = findRoot();
  static final Path BRONZE = ROOT.resolve("testdata/bronze");
  static final Path EXPECTED = ROOT.resolve("testdata/expected");
  static Path lake;
  static String summary;

  static Path findRoot() {
    Path p = Paths.get("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("testdata/bronze"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "testdata/bronze not found above " + Paths.get("").toAbsolutePath());
    }
    return p;
  }

  static String[] args(Path out, String... extra) {
    String[] base = {
      "--input=" + BRONZE, "--output=" + out, "--runner=DirectRunner", "--warehouse=none"
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  static String run(String... args) {
    CliRun r = CliRun.run(args);
    assertEquals("exit status; output:\n" + r.all(), 0, r.status());
    return r.all();
  }

  @BeforeClass
  public static void runOnce() throws IOException {
    lake = TMP.newFolder("lake").toPath();
    summary = run(args(lake));
  }

  private static void compare(String name, String actual) throws IOException {
    Path f = EXPECTED.resolve(name);
    if (Boolean.getBoolean("trendlake.updateGolden")) {
      Files.createDirectories(EXPECTED);
      Files.writeString(f, actual, StandardCharsets.UTF_8);
    }
    assertTrue(
        "missing golden file " + f + " (run with -Dtrendlake.updateGolden=true)", Files.exists(f));
    assertEquals("differs from " + f, Files.readString(f, StandardCharsets.UTF_8), actual);
  }

  static String lines(List<String> l) {
    return String.join("\n", l) + "\n";
  }

  @Test
  public void goldMatchesExpected() throws IOException {
    compare("gold.jsonl", lines(LakeReader.parquetRows(lake.resolve("gold/trending"))));
  }

  @Test
  public void silverMatchesExpected() throws IOException {
    compare(
        "silver_statistics.jsonl",
        lines(LakeReader.parquetRows(lake.resolve("silver/statistics"))));
    compare(
        "silver_categories.jsonl",
        lines(LakeReader.parquetRows(lake.resolve("silver/categories"))));
  }

  @Test
  public void quarantineMatchesExpected() throws IOException {
    compare("quarantine.jsonl", lines(LakeReader.jsonLines(lake.resolve("quarantine"))));
  }

  @Test
  public void manifestMatchesExpectedAndReconciles() throws IOException {
    compare("manifest.json", LakeReader.manifestCounts(lake) + "\n");
    assertTrue(Files.exists(lake.resolve("_manifests/latest.json")));
    assertFalse("staging is removed after the commit", Files.exists(lake.resolve("_staging")));
  }

  @Test
  public void goldIsHivePartitionedSnappyWithTheContractSchema() throws IOException {
    List<Path> files = LakeReader.files(lake.resolve("gold/trending"), ".parquet");
    assertEquals(5, files.size());
    for (Path f : files) {
      String rel = lake.resolve("gold/trending").relativize(f).toString();
      assertTrue(
          rel,
          rel.matches("region=[a-z]{2}/trending_date=\\d{4}-\\d{2}-\\d{2}/part-00000\\.parquet"));
      MessageType schema = LakeReader.parquetSchema(f);
      assertEquals(Schemas.GOLD.getFields().size(), schema.getFieldCount());
      for (int i = 0; i < schema.getFieldCount(); i++) {
        assertEquals(Schemas.GOLD.getFields().get(i).name(), schema.getFieldName(i));
      }
      // partition columns live in the path only
      assertFalse(schema.containsField("region"));
      assertFalse(schema.containsField("trending_date"));
      // publish_time is a UTC timestamp, tags a standard three-level list
      assertTrue(
          schema.getType("publish_time").toString(),
          schema.getType("publish_time").toString().contains("TIMESTAMP(MICROS,true)"));
      assertTrue(
          schema.getType("tags").toString(),
          schema.getType("tags").toString().contains("repeated group list"));
      for (GenericRecord r : LakeReader.read(f)) {
        assertEquals(11, r.get("video_id").toString().length());
      }
    }
    try (var r =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(files.get(0).toUri()),
                new org.apache.hadoop.conf.Configuration()))) {
      assertEquals("SNAPPY", r.getRowGroups().get(0).getColumns().get(0).getCodec().name());
    }
  }

  @Test
  public void summaryNamesRegionsReasonsAndPlaces() {
    assertTrue(summary, summary.contains("succeeded"));
    assertTrue(
        summary,
        summary.contains(
            "read 30 records from 7 statistics files: 14 to silver, 13 quarantined, 3 duplicates, 2"
                + " encoding repairs"));
    assertTrue(summary, summary.matches("(?s).*\\n  us\\s+8\\s+8\\s+1\\n.*"));
    assertTrue(summary, summary.contains("malformed_csv"));
    assertTrue(summary, summary.contains(lake.resolve("gold/trending").toString()));
  }

  @Test
  public void aFullRerunGivesTheSameRowsAndRemovesStaleFiles() throws IOException {
    Path again = TMP.newFolder("again").toPath();
    run(args(again));
    List<String> first = LakeReader.parquetRows(again.resolve("gold/trending"));
    // leftovers of an earlier run in a partition this run writes, and in one it does not
    Path part = again.resolve("gold/trending/region=us/trending_date=2017-11-14");
    Files.copy(part.resolve("part-00000.parquet"), part.resolve("part-00001.parquet"));
    Path other = again.resolve("gold/trending/region=us/trending_date=2001-01-01");
    Files.createDirectories(other);
    Files.copy(part.resolve("part-00000.parquet"), other.resolve("part-00000.parquet"));
    Path oldReject = again.resolve("quarantine/statistics/region=ca/part-00000.jsonl");
    Files.createDirectories(oldReject.getParent());
    Files.writeString(oldReject, "{}\n");

    run(args(again, "--mode=full"));
    assertFalse("stale part removed", Files.exists(part.resolve("part-00001.parquet")));
    assertFalse(
        "a full run removes partitions it does not write",
        Files.exists(other.resolve("part-00000.parquet")));
    assertFalse("old rejects of a region the run read are replaced", Files.exists(oldReject));
    assertEquals(first, LakeReader.parquetRows(again.resolve("gold/trending")));
    assertEquals(2, LakeReader.files(again.resolve("_manifests"), ".json").size() - 1);
  }

  /**
   * A partition of more source CSV than {@code --maxFileMegabytes} rolls over into several parts:
   * two here, each within the limit, together the same rows, in video_id order across the parts, as
   * one run without the limit writes them in one file. The run id given names the manifest.
   */
  @Test
  public void aPartitionOverTheFileLimitRollsOverIntoSeveralParts() throws IOException {
    Path bronze = TMP.newFolder("big-bronze").toPath();
    Path csv = bronze.resolve("raw_statistics/region=us/big.csv");
    Files.createDirectories(csv.getParent());
    StringBuilder sb =
        new StringBuilder(
            "video_id,trending_date,title,channel_title,category_id,publish_time,tags,views,"
                + "likes,dislikes,comment_count,thumbnail_link,comments_disabled,"
                + "ratings_disabled,video_error_or_removed,description\n");
    String text = "x".repeat(1000);
    for (int i = 0; i < 1500; i++) {
      sb.append(String.format("v%010d,17.14.11,t%d,c,22,2017-11-13T17:13:01.000Z,a,", i, i))
          .append(1000 + i)
          .append(",1,0,2,,False,False,False,")
          .append(text)
          .append('\n');
    }
    Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
    Path oneFile = TMP.newFolder("one-file").toPath();
    Path parts = TMP.newFolder("parts").toPath();
    run("--input=" + bronze, "--output=" + oneFile, "--runner=DirectRunner", "--warehouse=none");
    run(
        "--input=" + bronze,
        "--output=" + parts,
        "--runner=DirectRunner",
        "--warehouse=none",
        "--maxFileMegabytes=1",
        "--runId=fixed-run");
    for (String layer : List.of("gold/trending", "silver/statistics")) {
      Path partition = parts.resolve(layer + "/region=us/trending_date=2017-11-14");
      List<Path> files = LakeReader.files(partition, ".parquet");
      assertEquals(
          layer + ": " + files,
          List.of(partition.resolve("part-00000.parquet"), partition.resolve("part-00001.parquet")),
          files);
      List<String> ids = new java.util.ArrayList<>();
      for (Path f : files) {
        List<GenericRecord> rows = LakeReader.read(f);
        assertTrue(layer + " part " + f.getFileName() + " is empty", rows.size() > 0);
        // every source record is over 1000 bytes, so a part within 1 MiB holds at most 1048
        assertTrue(layer + " part over the limit: " + rows.size(), rows.size() <= 1048);
        rows.forEach(r -> ids.add(r.get("video_id").toString()));
      }
      assertEquals(1500, ids.size());
      assertEquals("video_id order across the parts", ids.stream().sorted().toList(), ids);
      assertEquals(
          LakeReader.parquetRows(oneFile.resolve(layer)),
          LakeReader.parquetRows(parts.resolve(layer)));
    }
    assertTrue(Files.exists(parts.resolve("_manifests/fixed-run.json")));
  }
}
