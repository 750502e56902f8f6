package dev.trendlake.runners.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Test helpers: move lakes between a folder and S3, and read them back as rows. */
final class LakeFiles {
  private LakeFiles() {}

  static final ObjectMapper JSON = new ObjectMapper();

  static void upload(S3Client s3, Path dir, String bucket, String prefix) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        String key = prefix + "/" + dir.relativize(f).toString().replace('\\', '/');
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(f));
      }
    }
  }

  /** Every key under {@code prefix/}, relative to it. */
  static List<String> keys(S3Client s3, String bucket, String prefix) {
    List<String> out = new ArrayList<>();
    for (S3Object o :
        s3.listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(bucket).prefix(prefix + "/").build())
            .contents()) {
      out.add(o.key().substring(prefix.length() + 1));
    }
    return out;
  }

  static void download(S3Client s3, String bucket, String prefix, Path dir) throws IOException {
    for (String rel : keys(s3, bucket, prefix)) {
      Path f = dir.resolve(rel);
      Files.createDirectories(f.getParent());
      Files.write(
          f, s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + "/" + rel)).asByteArray());
    }
  }

  /** Relative path of every file under {@code dir}, sorted. */
  static List<String> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  static List<String> rows(Path parquet) throws IOException {
    List<String> out = new ArrayList<>();
    try (ParquetReader<GenericRecord> r =
        AvroParquetReader.<GenericRecord>builder(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(parquet.toUri()), new Configuration()))
            .build()) {
      for (GenericRecord g = r.read(); g != null; g = r.read()) {
        out.add(g.toString());
      }
    }
    return out;
  }

  /** Each data file's content as rows (Parquet) or lines (JSON Lines), by relative path. */
  static TreeMap<String, List<String>> content(Path dir) throws IOException {
    TreeMap<String, List<String>> out = new TreeMap<>();
    for (String rel : files(dir)) {
      if (rel.startsWith("_manifests/")) {
        continue;
      }
      Path f = dir.resolve(rel);
      out.put(rel, rel.endsWith(".parquet") ? rows(f) : Files.readAllLines(f));
    }
    return out;
  }

  /** A manifest without what differs between two runs of the same data (times, places, options). */
  static JsonNode comparable(Path manifest) throws IOException {
    ObjectNode m = (ObjectNode) JSON.readTree(manifest.toFile());
    for (String f : List.of("started_at", "finished_at", "input", "output", "options", "outputs")) {
      m.remove(f);
    }
    return m;
  }
}
