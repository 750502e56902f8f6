package dev.trendlake.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.testkit.LakeReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Accounts for every bronze record of a run without the pipeline's code: records are counted with
 * Apache Commons CSV (lenient as the contract is: trailing data, end of file inside quotes) and
 * Jackson; silver rows are read from the Parquet files with parquet-avro; quarantine lines from the
 * JSONL with Jackson. Per input file, records must equal silver rows + quarantine lines + the
 * duplicates the manifest counts, and the manifest's counts must equal these; and a file's records
 * whose (region, video_id) is in silver must be at least its silver rows plus its duplicates (a
 * duplicate is a record whose key made it into silver from elsewhere). Every entry under the two
 * bronze folders must be read or listed as skipped.
 */
final class Accounting {
  static final ObjectMapper JSON = new ObjectMapper();
  static final CSVFormat LENIENT =
      CSVFormat.DEFAULT.builder().setTrailingData(true).setLenientEof(true).get();

  /** What one run was checked for, and what did not hold. */
  static final class Report {
    long files;
    long records;
    long silver;
    long quarantined;
    long duplicates;
    long skipped;
    long unaccounted;
    final List<String> problems = new ArrayList<>();

    void problem(String p) {
      problems.add(p);
    }
  }

  static Report check(Path bronze, Path lake) throws IOException {
    Report r = new Report();
    JsonNode m = JSON.readTree(lake.resolve("_manifests/latest.json").toFile());
    if (!"succeeded".equals(m.path("status").asText())) {
      r.problem("manifest status " + m.path("status"));
    }
    Map<String, Long> silverByFile = new HashMap<>();
    Set<String> silverKeys = new HashSet<>();
    for (Path f : LakeReader.files(lake.resolve("silver/statistics"), ".parquet")) {
      String region = regionOf(lake.resolve("silver/statistics").relativize(f).toString());
      for (GenericRecord g : LakeReader.read(f)) {
        silverByFile.merge(g.get("source_file").toString(), 1L, Long::sum);
        silverKeys.add(region + "/" + g.get("video_id"));
      }
    }
    for (Path f : LakeReader.files(lake.resolve("silver/categories"), ".parquet")) {
      for (GenericRecord g : LakeReader.read(f)) {
        silverByFile.merge(g.get("source_file").toString(), 1L, Long::sum);
      }
    }
    Map<String, Long> quarantineByFile = new HashMap<>();
    for (Path f : LakeReader.files(lake.resolve("quarantine"), ".jsonl")) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        if (!line.isEmpty()) {
          quarantineByFile.merge(JSON.readTree(line).path("source_file").asText(), 1L, Long::sum);
        }
      }
    }
    Set<String> listed = new HashSet<>();
    for (JsonNode f : m.path("files")) {
      String path = f.path("path").asText();
      listed.add(path);
      boolean stats = "statistics".equals(f.path("kind").asText());
      byte[] bytes = Files.readAllBytes(bronze.resolve(path));
      long records = stats ? csvRecords(bytes) : jsonItems(bytes);
      long silver = silverByFile.getOrDefault(path, 0L);
      long quarantined = quarantineByFile.getOrDefault(path, 0L);
      long duplicates = f.path("duplicates").asLong();
      long off = records - silver - quarantined - duplicates;
      if (off != 0) {
        r.unaccounted += Math.abs(off);
        r.problem(
            path
                + ": "
                + records
                + " records != silver "
                + silver
                + " + quarantined "
                + quarantined
                + " + duplicates "
                + duplicates);
      }
      long mq = 0;
      for (JsonNode q : f.path("quarantined")) {
        mq += q.asLong();
      }
      if (f.path("records").asLong() != records
          || f.path("silver").asLong() != silver
          || mq != quarantined) {
        r.problem(
            path
                + ": the manifest says records "
                + f.path("records")
                + ", silver "
                + f.path("silver")
                + ", quarantined "
                + mq
                + "; counted "
                + records
                + ", "
                + silver
                + ", "
                + quarantined);
      }
      if (stats && silver + duplicates > 0) {
        long keyed = recordsWithKeyIn(bytes, regionOf(path), silverKeys);
        if (keyed < silver + duplicates) {
          r.problem(
              path
                  + ": only "
                  + keyed
                  + " records have their (region, video_id) in silver, but "
                  + silver
                  + " silver rows and "
                  + duplicates
                  + " duplicates are claimed");
        }
      }
      if (stats) {
        r.files++;
        r.records += records;
        r.silver += silver;
        r.quarantined += quarantined;
        r.duplicates += duplicates;
      }
    }
    Set<String> skipped = new HashSet<>();
    m.path("skipped").forEach(s -> skipped.add(s.path("path").asText()));
    r.skipped = skipped.size();
    for (String folder : List.of("raw_statistics", "raw_statistics_reference_data")) {
      for (String entry : entries(bronze, folder)) {
        if (!covered(entry, listed, skipped)) {
          r.unaccounted++;
          r.problem(entry + ": neither read nor listed as skipped");
        }
      }
    }
    return r;
  }

  /** Read, skipped, under a skipped folder, or a link whose folder was read through it. */
  private static boolean covered(String entry, Set<String> listed, Set<String> skipped) {
    if (listed.contains(entry) || skipped.contains(entry)) {
      return true;
    }
    for (String s : skipped) {
      if (entry.startsWith(s + "/")) {
        return true;
      }
    }
    for (String f : listed) {
      if (f.startsWith(entry + "/")) {
        return true;
      }
    }
    return false;
  }

  /** Every entry that is not a plain folder, links not followed, relative to {@code root}. */
  static List<String> entries(Path root, String folder) throws IOException {
    Path start = root.resolve(folder);
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(start)) {
      return s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  /** Records after the header, as Commons CSV reads the bytes decoded as UTF-8. */
  static long csvRecords(byte[] bytes) throws IOException {
    long n = 0;
    try (CSVParser p =
        CSVParser.parse(
            new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8),
            LENIENT)) {
      for (CSVRecord ignored : p) {
        n++;
      }
    }
    return Math.max(0, n - 1);
  }

  /** Records whose region and trimmed video_id (by the header's column) are in {@code keys}. */
  static long recordsWithKeyIn(byte[] bytes, String region, Set<String> keys) throws IOException {
    long n = 0;
    int col = -1;
    try (CSVParser p =
        CSVParser.parse(
            new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8),
            LENIENT)) {
      for (CSVRecord rec : p) {
        if (col < 0) {
          for (int i = 0; i < rec.size(); i++) {
            // Commons keeps a BOM, and the quotes after it, in the first value
            String name = rec.get(i).replace("\uFEFF", "").replace("\"", "");
            if (name.strip().toLowerCase(Locale.ROOT).equals("video_id")) {
              col = i;
            }
          }
          if (col < 0) {
            return 0;
          }
          continue;
        }
        if (col < rec.size() && keys.contains(region + "/" + rec.get(col).strip())) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Items of a category file, by the contract: a file that is not UTF-8 JSON with an {@code items}
   * array is one record.
   */
  static long jsonItems(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      if (bytes.length >= 2 && (bytes[0] == 0 || bytes[1] == 0)) {
        return 1;
      }
      JsonNode root = JSON.readTree(bytes);
      JsonNode items = root == null ? null : root.get("items");
      return root != null && root.isObject() && items != null && items.isArray() ? items.size() : 1;
    } catch (CharacterCodingException e) {
      return 1;
    } catch (IOException e) {
      return 1;
    }
  }

  /** The nearest {@code region=} folder's value, lower case, or "unknown". */
  static String regionOf(String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 2; i >= 0; i--) {
      if (parts[i].toLowerCase(Locale.ROOT).startsWith("region=") && parts[i].length() > 7) {
        String v = parts[i].substring(7).toLowerCase(Locale.ROOT);
        return v.matches("[a-z0-9_-]{1,16}") ? v : "unknown";
      }
    }
    return "unknown";
  }

  /** Counts by reason in the manifest's totals, for the report. */
  static Map<String, Long> reasons(Path lake) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    JsonNode m = JSON.readTree(lake.resolve("_manifests/latest.json").toFile());
    m.path("totals")
        .path("quarantined_by_reason")
        .fields()
        .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
    return out;
  }
}
