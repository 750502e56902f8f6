package dev.trendlake.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.trendlake.generate.BronzeGenerator;
import dev.trendlake.generate.Expected;
import dev.trendlake.transforms.csv.CsvRecord;
import dev.trendlake.transforms.csv.CsvRecordReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Reads every bronze statistics CSV of {@code testdata/} and a generated bronze tree with both
 * trendlake's {@link CsvRecordReader} and Apache Commons CSV, and compares them record by record:
 * the fields; the record boundaries (Commons' {@link CSVRecord#getCharacterPosition()}, where a
 * record starts, empty lines skipped before it included, against trendlake's {@link
 * CsvRecord#raw()}); and the line each record ends on (Commons reports only its current line after
 * a record, {@link CSVParser#getCurrentLineNumber()}; trendlake's is its start {@link
 * CsvRecord#line()} plus the LF bytes inside the record). Every difference must belong to one of
 * the {@link Difference} categories below, and each file must show exactly the expected number of
 * each, so a change in either reader shows up here.
 *
 * <p>Commons CSV is {@link CSVFormat#DEFAULT} (comma, double quote, no escape, empty lines skipped)
 * with its two leniencies for messy files, both new in 1.11:
 *
 * <ul>
 *   <li>{@code setTrailingData(true)}: characters between a closing quote and the next separator or
 *       line break are appended to the value instead of raising "Invalid character between
 *       encapsulated token and delimiter". The early Kaggle tags {@code "a"|"b"|"c"} read as {@code
 *       a|"b"|"c"}, as in trendlake's reader.
 *   <li>{@code setLenientEof(true)}: end of file inside a quoted field ends the value and the
 *       record instead of raising "EOF reached before encapsulated token finished".
 * </ul>
 *
 * Commons reads characters: the file is decoded as an {@code InputStreamReader} for UTF-8 does it,
 * each malformed byte sequence becoming U+FFFD as in trendlake's reader, and Commons reads that
 * text. For each file the test also says which leniencies Commons needs ({@code needs=}): it reads
 * the file again with each one switched off and notes the ones without which it throws.
 *
 * <p>The categories, each explaining a difference only under the stated condition:
 *
 * <ul>
 *   <li>{@link Difference#BOM}: the file starts with a UTF-8 byte order mark. Commons has no BOM
 *       handling (that is commons-io's {@code BOMInputStream}), so U+FEFF becomes the first
 *       character of the first record's first value, and, if that value is quoted, the quotes are
 *       read literally (U+FEFF then {@code "video_id"}). trendlake's reader skips the BOM.
 *       Explained only for the first record, when removing U+FEFF (and the quotes) from Commons'
 *       value gives trendlake's and everything else agrees; a BOM before a quoted value holding a
 *       separator or a line break splits the record differently and is <em>not</em> explained.
 *   <li>{@link Difference#LONE_CR_LINE}: a lone CR inside a quoted value (not followed by LF).
 *       Commons counts CR, LF and CRLF each as a line end, also inside quotes; trendlake counts
 *       lines at LF bytes inside quotes and at record ends, so a CR inside a value is no line break
 *       for it. From the record holding the CR on, Commons' line numbers run ahead by the number of
 *       such CRs so far; counted once per record whose last line differs.
 *   <li>{@link Difference#TRUNCATED}: the file ends inside a quoted value (a cut-off upload). Both
 *       return the same fields (Commons thanks to {@code setLenientEof}); only trendlake says so,
 *       with {@link CsvRecord#truncated()}, which the pipeline quarantines as {@code
 *       malformed_csv}. Explained only for the file's last record; counted per record.
 *   <li>{@link Difference#ENCODING_REPAIRS}: invalid UTF-8. Both decode it to the same U+FFFD; only
 *       trendlake counts the repairs ({@link CsvRecord#encodingRepairs()}). Explained when its
 *       count equals the U+FFFD in Commons' values less the literal U+FFFD (EF BF BD) in the
 *       record's bytes; counted as the number of repairs.
 * </ul>
 *
 * Anything else (another field value, another number of records or fields, a record boundary
 * elsewhere, another line shift) fails the test with the file, record and both readings.
 */
public class CsvReaderDifferentialTest {

  /** The kinds of difference between the two readers that are understood. */
  enum Difference {
    BOM,
    LONE_CR_LINE,
    TRUNCATED,
    ENCODING_REPAIRS
  }

  static final CSVFormat LENIENT =
      CSVFormat.DEFAULT.builder().setTrailingData(true).setLenientEof(true).get();
  static final CSVFormat WITHOUT_TRAILING_DATA =
      CSVFormat.DEFAULT.builder().setTrailingData(false).setLenientEof(true).get();
  static final CSVFormat WITHOUT_LENIENT_EOF =
      CSVFormat.DEFAULT.builder().setTrailingData(true).setLenientEof(false).get();

  private static final Path TESTDATA =
      Paths.get(System.getProperty("trendlake.testdata", "../testdata"));

  /**
   * What each testdata file shows (see make_bronze.py); every CSV under {@code
   * bronze/raw_statistics} must be listed.
   */
  private static final Map<String, String> TESTDATA_EXPECTED =
      Map.of(
          "misc/no_region.csv", "records=2",
          // a BOM before the unquoted header; early tags "Eminem"|"Walk"|...
          "region=CA/ts=201711140000/CAvideos.csv", "records=4 BOM=1 needs=trailingData",
          "region=fr/ts=201711140000/FR_export.csv", "records=3",
          // the last record is cut off inside its quoted description
          "region=gb/ts=202008120000/GB_youtube_trending_data.csv",
              "records=6 TRUNCATED=1 needs=lenientEof",
          // record 3 (line 3) has a lone CR in its description, so Commons' lines run one ahead
          // from there to the end: 18 records; record 8 has the two invalid bytes FF FE
          "region=us/ts=201711140000/USvideos.csv",
              "records=20 LONE_CR_LINE=18 ENCODING_REPAIRS=2 needs=trailingData",
          "region=us/ts=201711150000/empty.csv", "records=0",
          "region=us/ts=201711150000/header_only.csv", "records=1");

  /**
   * What each file of the generated tree shows: per region a Kaggle-layout file with early {@code
   * "a"|"b"} tags and an API-layout file whose last record is cut off, and in both the records
   * whose title the generator gave an invalid byte (and their duplicates).
   */
  private static final Map<String, String> GENERATED_EXPECTED =
      Map.of(
          "region=jp/ts=201711140000/JPvideos-000.csv",
              "records=601 ENCODING_REPAIRS=2 needs=trailingData",
          "region=jp/ts=202008120000/JP_youtube_trending_data-000.csv",
              "records=401 TRUNCATED=1 ENCODING_REPAIRS=1 needs=lenientEof",
          "region=ru/ts=201711140000/RUvideos-000.csv",
              "records=601 ENCODING_REPAIRS=2 needs=trailingData",
          "region=ru/ts=202008120000/RU_youtube_trending_data-000.csv",
              "records=401 TRUNCATED=1 ENCODING_REPAIRS=1 needs=lenientEof",
          "region=us/ts=201711140000/USvideos-000.csv",
              "records=601 ENCODING_REPAIRS=2 needs=trailingData",
          "region=us/ts=202008120000/US_youtube_trending_data-000.csv",
              "records=401 TRUNCATED=1 ENCODING_REPAIRS=1 needs=lenientEof");

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void everyTestdataFileDiffersOnlyInExplainedWays() throws IOException {
    Path root = TESTDATA.resolve("bronze/raw_statistics");
    assertTrue("no testdata at " + root.toAbsolutePath(), Files.isDirectory(root));
    assertEquals(
        "per file: records, differences by category, leniencies Commons needs",
        joined(TESTDATA_EXPECTED),
        joined(compareTree(root)));
  }

  @Test
  public void generatedTreeDiffersOnlyInExplainedWays() throws IOException {
    Path bronze = tmp.newFolder("bronze").toPath();
    List<String> regions = List.of("us", "jp", "ru");
    Expected expected =
        BronzeGenerator.generate(
            new BronzeGenerator.Settings(3000, bronze.toString(), regions, 13, 1 << 20));
    Map<String, String> actual = compareTree(bronze.resolve("raw_statistics"));
    assertEquals(
        "per file: records, differences by category, leniencies Commons needs",
        joined(GENERATED_EXPECTED),
        joined(actual));
    // and the table agrees with what the generator says it wrote
    for (String region : regions) {
      Expected.Region r = expected.regions.get(region);
      Map<String, Long> sums = new TreeMap<>();
      actual.forEach(
          (file, summary) -> {
            if (file.startsWith("region=" + region + "/")) {
              sums.merge("files", 1L, Long::sum);
              for (String kv : summary.split(" ")) {
                String[] p = kv.split("=");
                if (p[1].matches("\\d+")) {
                  sums.merge(p[0], Long.parseLong(p[1]), Long::sum);
                }
              }
            }
          });
      assertEquals(region + " files", r.files, (long) sums.get("files"));
      assertEquals(
          region + " records and headers", r.records + r.files, (long) sums.get("records"));
      assertEquals(region + " cut-off records", 1L, (long) sums.get("TRUNCATED"));
      assertEquals(
          region + " encoding repairs", r.encodingRepairs, (long) sums.get("ENCODING_REPAIRS"));
    }
  }

  /** Each category on the smallest input that shows it, and inputs that show none. */
  @Test
  public void eachCategoryOnItsSmallestInput() throws IOException {
    assertEquals("records=2", summary("a,b\n1,2"));
    assertEquals("records=3", summary("a\rb\r\n\nc\n")); // CR as record end, empty line
    assertEquals("records=2 BOM=1", summary("\uFEFFa,b\n1,2\n"));
    assertEquals("records=2 BOM=1", summary("\uFEFF\"a\",b\n1,2\n"));
    assertEquals("records=3 LONE_CR_LINE=3", summary("a,\"x\ry\"\nb\nc\n"));
    assertEquals("records=2", summary("a,\"x\r\ny\"\nb\n")); // CRLF inside quotes: one line
    assertEquals("records=2 TRUNCATED=1 needs=lenientEof", summary("a,b\n1,\"cut"));
    assertEquals("records=1 needs=trailingData", summary("\"a\"|\"b\",c\n"));
    byte[] invalid = {'a', (byte) 0xFF, 'b', ',', (byte) 0xEF, (byte) 0xBF, (byte) 0xBD, '\n'};
    assertEquals("records=1 ENCODING_REPAIRS=1", compare(invalid).summary());
    // malformed bytes on both sides of a separator, and a sequence split by a closing quote:
    // each piece is decoded and counted on its own, as Commons decodes the whole text
    byte[] straddling = {'a', (byte) 0xEF, ',', (byte) 0xBF, (byte) 0xBD, 'b', '\n'};
    assertEquals("records=1 ENCODING_REPAIRS=3", bytesSummary(straddling));
    byte[] split = {'"', (byte) 0xE2, (byte) 0x82, '"', (byte) 0xAC, ',', 'x', '\n'};
    assertEquals("records=1 ENCODING_REPAIRS=2 needs=trailingData", bytesSummary(split));
  }

  private static String bytesSummary(byte[] csv) throws IOException {
    Comparison c = compare(csv);
    assertEquals(List.of(), c.unexplained);
    return c.summary();
  }

  /** A difference no category explains is reported with the record and both readings. */
  @Test
  public void reportsADifferenceNoCategoryExplains() throws IOException {
    // a BOM before a quoted header value holding a comma: Commons reads the quotes literally
    Comparison c = compare("\uFEFF\"a,b\",c\n1,2\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        List.of(
            "record 1 (trendlake line 1): fields differ: trendlake [a,b, c], Commons [\uFEFF\"a,"
                + " b\", c]"),
        c.unexplained);
  }

  private static String summary(String csv) throws IOException {
    Comparison c = compare(csv.getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(), c.unexplained);
    return c.summary();
  }

  /** Compares every CSV file under {@code root}; fails on an unexplained difference. */
  private static Map<String, String> compareTree(Path root) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
    }
    assertTrue("no CSV files under " + root, !files.isEmpty());
    Map<String, String> summaries = new TreeMap<>();
    List<String> unexplained = new ArrayList<>();
    for (Path f : files) {
      String name = root.relativize(f).toString().replace('\\', '/');
      Comparison c = compare(Files.readAllBytes(f));
      summaries.put(name, c.summary());
      c.unexplained.forEach(u -> unexplained.add(name + ": " + u));
    }
    assertTrue(
        unexplained.size()
            + " unexplained difference(s) between trendlake's reader and Commons CSV:\n  "
            + unexplained.stream().limit(20).collect(Collectors.joining("\n  ")),
        unexplained.isEmpty());
    return summaries;
  }

  private static String joined(Map<String, String> m) {
    return new TreeMap<>(m)
        .entrySet().stream()
            .map(e -> e.getKey() + "  " + e.getValue())
            .collect(Collectors.joining("\n", "", "\n"));
  }

  /** The outcome of reading one file with both readers. */
  static final class Comparison {
    int records;
    final Map<Difference, Integer> counts = new EnumMap<>(Difference.class);
    final List<String> needs = new ArrayList<>();
    final List<String> unexplained = new ArrayList<>();

    void count(Difference d, int n) {
      counts.merge(d, n, Integer::sum);
    }

    /** {@code records=N [CATEGORY=n ...] [needs=...]}, zero counts left out. */
    String summary() {
      StringBuilder sb = new StringBuilder("records=").append(records);
      counts.forEach((d, n) -> sb.append(' ').append(d).append('=').append(n));
      if (!needs.isEmpty()) {
        sb.append(" needs=").append(String.join(",", needs));
      }
      return sb.toString();
    }
  }

  /** A record as Commons read it: its values, where it starts, and the line it ends on. */
  private record Theirs(List<String> values, long start, long endLine) {}

  static Comparison compare(byte[] bytes) throws IOException {
    Comparison c = new Comparison();
    List<CsvRecord> ours = new ArrayList<>();
    try (CsvRecordReader r = new CsvRecordReader(new ByteArrayInputStream(bytes))) {
      for (CsvRecord rec = r.next(); rec != null; rec = r.next()) {
        ours.add(rec);
      }
    }
    String text = decode(bytes);
    List<Theirs> theirs = new ArrayList<>();
    try (CSVParser p = LENIENT.parse(new StringReader(text))) {
      Iterator<CSVRecord> it = p.iterator();
      while (it.hasNext()) {
        CSVRecord rec = it.next();
        theirs.add(new Theirs(rec.toList(), rec.getCharacterPosition(), p.getCurrentLineNumber()));
      }
    }
    if (!readsWithout(WITHOUT_TRAILING_DATA, text)) {
      c.needs.add("trailingData");
    }
    if (!readsWithout(WITHOUT_LENIENT_EOF, text)) {
      c.needs.add("lenientEof");
    }
    c.records = ours.size();
    if (ours.size() != theirs.size()) {
      c.unexplained.add(
          "trendlake reads "
              + ours.size()
              + " records, Commons "
              + theirs.size()
              + "; the first one past the shorter list: "
              + (ours.size() > theirs.size()
                  ? "trendlake line " + ours.get(theirs.size()).line()
                  : "Commons " + theirs.get(ours.size()).values()));
    }
    boolean bom =
        bytes.length >= 3
            && (bytes[0] & 0xFF) == 0xEF
            && (bytes[1] & 0xFF) == 0xBB
            && (bytes[2] & 0xFF) == 0xBF;
    int loneCrs = 0;
    int n = Math.min(ours.size(), theirs.size());
    for (int k = 0; k < n; k++) {
      CsvRecord o = ours.get(k);
      Theirs t = theirs.get(k);
      String where = "record " + (k + 1) + " (trendlake line " + o.line() + ")";
      List<String> values = new ArrayList<>(t.values());
      String slice =
          text.substring(
              (int) t.start(), k + 1 < n ? (int) theirs.get(k + 1).start() : text.length());
      if (k == 0 && bom && slice.startsWith("\uFEFF")) {
        // Commons' first value: U+FEFF, then trendlake's value as it stands in the file
        String ourFirst = o.get(0);
        String quoted = "\"" + ourFirst.replace("\"", "\"\"") + "\"";
        String first = values.get(0);
        if (first.equals("\uFEFF" + ourFirst) || first.equals("\uFEFF" + quoted)) {
          values.set(0, ourFirst);
          slice = slice.substring(1);
          c.count(Difference.BOM, 1);
        }
      }
      if (!o.fields().equals(values)) {
        c.unexplained.add(
            where + ": fields differ: trendlake " + o.fields() + ", Commons " + t.values());
        continue;
      }
      // Commons' record starts before the empty lines it skips and ends before the next record
      String raw = o.rawText();
      String body = slice.replaceFirst("^[\r\n]+", "");
      if (!body.startsWith(raw) || !body.substring(raw.length()).matches("[\r\n]*")) {
        c.unexplained.add(
            where
                + ": record boundary differs: trendlake's record is "
                + quote(raw)
                + ", Commons' runs from character "
                + t.start()
                + " to the next record: "
                + quote(slice));
      }
      loneCrs += countLoneCrs(o.raw());
      long ourEndLine = o.line() + count(o.raw(), (byte) '\n');
      long shift = t.endLine() - ourEndLine;
      if (shift != 0) {
        if (shift == loneCrs) {
          c.count(Difference.LONE_CR_LINE, 1);
        } else {
          c.unexplained.add(
              where
                  + ": ends on line "
                  + ourEndLine
                  + " for trendlake, "
                  + t.endLine()
                  + " for Commons, with "
                  + loneCrs
                  + " lone CR(s) inside quotes so far");
        }
      }
      if (o.truncated()) {
        if (k == ours.size() - 1) {
          c.count(Difference.TRUNCATED, 1);
        } else {
          c.unexplained.add(where + ": truncated, but not the last record");
        }
      }
      int repairsSeen = countChar(t.values(), '\uFFFD') - countLiteralReplacement(o.raw());
      if (o.encodingRepairs() != repairsSeen) {
        c.unexplained.add(
            where
                + ": trendlake counts "
                + o.encodingRepairs()
                + " encoding repairs, Commons' values show "
                + repairsSeen
                + " U+FFFD from malformed UTF-8");
      } else if (repairsSeen > 0) {
        c.count(Difference.ENCODING_REPAIRS, repairsSeen);
      }
    }
    return c;
  }

  /** Whether Commons reads the whole text with {@code format} without an error. */
  private static boolean readsWithout(CSVFormat format, String text) throws IOException {
    try (CSVParser p = format.parse(new StringReader(text))) {
      p.getRecords();
      return true;
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  /** The bytes as Commons gets them: through an InputStreamReader, U+FFFD for malformed UTF-8. */
  private static String decode(byte[] bytes) throws IOException {
    StringWriter w = new StringWriter();
    try (InputStreamReader r =
        new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8)) {
      r.transferTo(w);
    }
    return w.toString();
  }

  private static int count(byte[] b, byte x) {
    int n = 0;
    for (byte v : b) {
      if (v == x) {
        n++;
      }
    }
    return n;
  }

  private static int countLoneCrs(byte[] b) {
    int n = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\r' && (i + 1 == b.length || b[i + 1] != '\n')) {
        n++;
      }
    }
    return n;
  }

  private static int countLiteralReplacement(byte[] b) {
    int n = 0;
    for (int i = 0; i + 2 < b.length; i++) {
      if ((b[i] & 0xFF) == 0xEF && (b[i + 1] & 0xFF) == 0xBF && (b[i + 2] & 0xFF) == 0xBD) {
        n++;
      }
    }
    return n;
  }

  private static int countChar(List<String> values, char ch) {
    int n = 0;
    for (String v : values) {
      for (int i = 0; i < v.length(); i++) {
        if (v.charAt(i) == ch) {
          n++;
        }
      }
    }
    return n;
  }

  private static String quote(String s) {
    String shown = s.length() > 120 ? s.substring(0, 117) + "..." : s;
    return "\"" + shown.replace("\r", "\\r").replace("\n", "\\n") + "\"";
  }
}
