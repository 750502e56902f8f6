package dev.trendlake.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Reads a local lake back into canonical, sorted JSON lines, one per row, with the Hive partition
 * values taken from the path: what golden tests and runner-equivalence checks compare.
 */
public final class LakeReader {
  private LakeReader() {}

  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * All Parquet rows under {@code dir} as sorted JSON lines, partition columns from the path first.
   */
  public static List<String> parquetRows(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    for (Path f : files(dir, ".parquet")) {
      String rel = dir.relativize(f).toString();
      for (GenericRecord r : read(f)) {
        ObjectNode n = JSON.createObjectNode();
        for (String part : rel.split("/")) {
          int eq = part.indexOf('=');
          if (eq > 0) {
            n.put(part.substring(0, eq), part.substring(eq + 1));
          }
        }
        for (Schema.Field field : r.getSchema().getFields()) {
          Object v = r.get(field.name());
          if (v == null) {
            n.putNull(field.name());
          } else if (v instanceof List<?> l) {
            var a = n.putArray(field.name());
            l.forEach(x -> a.add(x == null ? null : String.valueOf(x)));
          } else if (v instanceof Integer days && isDate(field.schema())) {
            n.put(field.name(), java.time.LocalDate.ofEpochDay(days).toString());
          } else if (v instanceof Double x) {
            n.put(field.name(), x);
          } else if (field.name().equals("publish_time")) {
            long micros = (Long) v;
            n.put(
                field.name(),
                Instant.ofEpochSecond(
                        Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1000L)
                    .toString());
          } else if (v instanceof Long x) {
            n.put(field.name(), x);
          } else if (v instanceof Boolean x) {
            n.put(field.name(), x);
          } else {
            n.put(field.name(), v.toString());
          }
        }
        out.add(JSON.writeValueAsString(n));
      }
    }
    out.sort(null);
    return out;
  }

  private static boolean isDate(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      return s.getTypes().stream().anyMatch(LakeReader::isDate);
    }
    return s.getLogicalType() instanceof org.apache.avro.LogicalTypes.Date;
  }

  public static List<GenericRecord> read(Path f) throws IOException {
    List<GenericRecord> rows = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))
            .build()) {
      GenericRecord r;
      while ((r = reader.read()) != null) {
        rows.add(r);
      }
    }
    return rows;
  }

  public static MessageType parquetSchema(Path f) throws IOException {
    try (ParquetFileReader r =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))) {
      return r.getFooter().getFileMetaData().getSchema();
    }
  }

  /** Quarantine lines, each prefixed with its folder relative to {@code dir}, sorted. */
  public static List<String> jsonLines(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    for (Path f : files(dir, ".jsonl")) {
      String folder = dir.relativize(f.getParent()).toString();
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        if (!line.isEmpty()) {
          out.add(folder + " " + line);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** The latest manifest without what differs between runs and machines. */
  public static String manifestCounts(Path lake) throws IOException {
    JsonNode m = JSON.readTree(lake.resolve("_manifests/latest.json").toFile());
    ObjectNode n = (ObjectNode) m;
    for (String f :
        new String[] {
          "run_id", "started_at", "finished_at", "input", "output", "options", "outputs", "runner"
        }) {
      n.remove(f);
    }
    // change tokens are modification times of the checkout
    n.path("files").forEach(file -> ((ObjectNode) file).remove("token"));
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
  }

  public static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }
}
