package dev.trendlake.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trendlake.generate.BronzeGenerator;
import dev.trendlake.transforms.csv.CsvRecord;
import dev.trendlake.transforms.csv.CsvRecordReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A generated 200k-row bronze, one file per region, layout and day, arriving in five batches of
 * days (its duplicates are copies of recent records, so later batches add rows to partitions
 * written before), and in the last batch a late file with a better copy of a row of the first:
 * incremental runs per batch on embedded Flink at parallelism 2 leave the lake of one full run on
 * the DirectRunner.
 */
public class GeneratedArrivalsTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final Pattern DAY = Pattern.compile("/ts=(\\d{8})0000/");
  private static final int BATCHES = 5;

  @Test
  public void fiveBatchesOnFlinkGiveTheLakeOfOneFullDirectRun() throws IOException {
    Path source = TMP.newFolder("generated").toPath();
    BronzeGenerator.generate(
        new BronzeGenerator.Settings(
            200_000, source.toString(), List.of("us", "gb", "ca"), 14, 64L << 20, true));
    Map<Integer, List<String>> batches = batches(source);
    assertEquals(BATCHES, batches.size());

    Arrivals a = new Arrivals(source, TMP.newFolder("bronze").toPath());
    Path inc = TMP.newFolder("incremental").toPath();
    for (int b = 0; b < BATCHES; b++) {
      a.arrive(batches.get(b));
      if (b == BATCHES - 1) {
        a.write("raw_statistics/region=us/ts=202101010000/late.csv", lateFile(source));
      }
      Arrivals.succeeded(a.run(inc, "--runner=FlinkRunner", "--parallelism=2"));
      JsonNode run = Arrivals.lastRun(inc);
      if (b > 0) {
        assertThat(
            "batch " + b + " skipped what earlier batches read",
            run.path("files_skipped").asLong(),
            greaterThan(0L));
      }
    }
    JsonNode last = Arrivals.lastRun(inc);
    assertThat(
        "the late file's better copy made a duplicate of this run",
        last.path("duplicates").asLong(),
        greaterThan(0L));

    Path full = TMP.newFolder("full").toPath();
    Arrivals.succeeded(a.run(full, "--runner=DirectRunner", "--mode=full"));
    assertThat(
        "the full run kept the better copy",
        String.join(
            "\n",
            LakeSnapshot.rowsOf(full, "silver/statistics/region=us/trending_date=2017-11-14")),
        containsString("LATEvideo01"));
    Arrivals.assertSameLake("5 incremental runs on Flink vs 1 full run on Direct", full, inc);
  }

  /** Statistics files by batch of days since their layout's first day; categories come first. */
  private static Map<Integer, List<String>> batches(Path source) throws IOException {
    Map<Integer, List<String>> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String rel = source.relativize(f).toString();
        if (rel.startsWith("raw_statistics_reference_data/")) {
          out.computeIfAbsent(0, k -> new ArrayList<>()).add(rel);
          continue;
        }
        Matcher m = DAY.matcher("/" + rel);
        if (!m.find()) {
          continue; // _expected.json
        }
        LocalDate day = LocalDate.parse(m.group(1), DateTimeFormatter.BASIC_ISO_DATE);
        LocalDate first =
            day.isBefore(BronzeGenerator.API_FIRST)
                ? BronzeGenerator.KAGGLE_FIRST
                : BronzeGenerator.API_FIRST;
        int batch = (int) Math.min(BATCHES - 1, ChronoUnit.DAYS.between(first, day) / 24);
        out.computeIfAbsent(batch, k -> new ArrayList<>()).add(rel);
      }
    }
    return out;
  }

  /**
   * The first good record of us's first day re-fetched with more views, and a new video on the same
   * day: rows for a partition the first batch wrote.
   */
  private static String lateFile(Path source) throws IOException {
    Path first;
    try (Stream<Path> s = Files.walk(source.resolve("raw_statistics/region=us/ts=201711140000"))) {
      first = s.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
    }
    CsvRecord rec;
    try (InputStream in = Files.newInputStream(first);
        CsvRecordReader r = new CsvRecordReader(in)) {
      r.next(); // header
      rec = r.next();
    }
    List<String> better = new ArrayList<>(rec.fields());
    better.set(7, String.valueOf(Long.parseLong(better.get(7)) + 1000));
    List<String> newVideo = new ArrayList<>(rec.fields());
    newVideo.set(0, "LATEvideo01");
    return BronzeGenerator.KAGGLE_HEADER + "\r\n" + csv(better) + csv(newVideo);
  }

  private static String csv(List<String> fields) {
    List<String> quoted = new ArrayList<>();
    fields.forEach(f -> quoted.add('"' + f.replace("\"", "\"\"") + '"'));
    return String.join(",", quoted) + "\r\n";
  }
}
