package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.pipeline.io.ParquetFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * What a run left under its output root, in a form two runs can be compared with: for every folder
 * of silver, gold and quarantine, its rows sorted (Parquet rows read back with parquet-avro,
 * quarantine JSONL lines as written), and the run manifest without what differs from run to run by
 * design (run id, timestamps, runner name, output root). Rows are compared per folder, not per
 * file, because how rows are spread over {@code part-NNNNN} files may depend on parallelism.
 */
final class LakeSnapshot {
  final Path root;
  final SortedMap<String, List<String>> rows;
  final JsonNode manifest;

  private LakeSnapshot(Path root, SortedMap<String, List<String>> rows, JsonNode manifest) {
    this.root = root;
    this.rows = rows;
    this.manifest = manifest;
  }

  static LakeSnapshot of(Path root) {
    LakeSnapshot rows = rowsOf(root);
    try {
      return new LakeSnapshot(root, rows.rows, manifest(root));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the manifest under " + root, e);
    }
  }

  /**
   * Per folder, the SHA-256 of each row, sorted: compares lakes too big to hold as text (rows are
   * compared as text only in a folder whose digests differ).
   */
  static SortedMap<String, List<String>> digestsOf(Path root) {
    return folders(root, true);
  }

  /** The rows only, for outputs written by several runs (which have several manifests). */
  static LakeSnapshot rowsOf(Path root) {
    return new LakeSnapshot(root, folders(root, false), null);
  }

  /** The rows of one folder relative to {@code root}, sorted. */
  static List<String> rowsOf(Path root, String folder) {
    SortedMap<String, List<String>> one = new TreeMap<>();
    try {
      collect(root, root.resolve(folder), one, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> rows = one.getOrDefault(folder, new ArrayList<>());
    rows.sort(null);
    return rows;
  }

  private static SortedMap<String, List<String>> folders(Path root, boolean digests) {
    try {
      SortedMap<String, List<String>> rows = new TreeMap<>();
      for (String top : List.of("silver", "gold", "quarantine")) {
        collect(root, root.resolve(top), rows, digests);
      }
      rows.values().forEach(l -> l.sort(null));
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the output under " + root, e);
    }
  }

  private static void collect(
      Path root, Path dir, SortedMap<String, List<String>> rows, boolean digests)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String folder = root.relativize(f.getParent()).toString();
        List<String> into = rows.computeIfAbsent(folder, k -> new ArrayList<>());
        String name = f.getFileName().toString();
        List<String> found;
        if (name.endsWith(".parquet")) {
          found = parquetRows(f);
        } else if (name.endsWith(".jsonl")) {
          found = Files.readAllLines(f, StandardCharsets.UTF_8);
        } else {
          found = List.of("unexpected file " + name);
        }
        found.forEach(r -> into.add(digests ? sha256(r) : r));
      }
    }
  }

  private static String sha256(String row) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(row.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> parquetRows(Path f) throws IOException {
    Configuration conf = ParquetFiles.configuration();
    List<String> out = new ArrayList<>();
    try (ParquetReader<GenericRecord> r =
        AvroParquetReader.<GenericRecord>builder(
                HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), conf))
            .withConf(conf)
            .build()) {
      for (GenericRecord rec = r.read(); rec != null; rec = r.read()) {
        out.add(rec.toString());
      }
    }
    return out;
  }

  private static JsonNode manifest(Path root) throws IOException {
    List<Path> manifests;
    try (Stream<Path> s = Files.list(root.resolve("_manifests"))) {
      manifests =
          s.filter(p -> !p.getFileName().toString().equals("latest.json"))
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .toList();
    }
    assertEquals("exactly one run manifest under " + root + ": " + manifests, 1, manifests.size());
    String text = Files.readString(manifests.get(0), StandardCharsets.UTF_8);
    // the output root appears in paths; the JSON string form escapes nothing in our temp paths
    text = text.replace(root.toAbsolutePath().toString(), "<output>");
    ObjectNode m = (ObjectNode) new ObjectMapper().readTree(text);
    for (String volatileField : List.of("run_id", "started_at", "finished_at", "runner")) {
      m.remove(volatileField);
    }
    return m;
  }

  /**
   * Fails unless {@code actual} holds the same rows per folder and the same manifest as {@code
   * expected}.
   */
  static void assertSameOutput(String what, LakeSnapshot expected, LakeSnapshot actual) {
    assertEquals(what + ": folders written", expected.rows.keySet(), actual.rows.keySet());
    for (Map.Entry<String, List<String>> e : expected.rows.entrySet()) {
      assertEquals(what + ": rows of " + e.getKey(), e.getValue(), actual.rows.get(e.getKey()));
    }
    assertEquals(
        what + ": manifest (without run id, times, runner)",
        pretty(expected.manifest),
        pretty(actual.manifest));
  }

  /**
   * Checks a snapshot is a real, successful run over testdata/bronze, so equal outputs cannot both
   * be empty.
   */
  static void assertPlausible(LakeSnapshot s) {
    assertEquals("succeeded", s.manifest.path("status").asText());
    assertTrue(
        "gold partitions written", s.rows.keySet().stream().anyMatch(k -> k.startsWith("gold/")));
    assertTrue(
        "silver partitions written",
        s.rows.keySet().stream().anyMatch(k -> k.startsWith("silver/")));
    assertTrue(
        "quarantine written", s.rows.keySet().stream().anyMatch(k -> k.startsWith("quarantine/")));
    assertFalse(s.manifest.path("files").isEmpty());
    assertTrue(s.manifest.path("totals").path("silver").asLong() > 0);
  }

  private static String pretty(JsonNode n) {
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
