package dev.trendlake.bench;

import dev.trendlake.transforms.csv.CsvRecord;
import dev.trendlake.transforms.csv.CsvRecordReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The parse floor: the same input read by the pipeline's own CSV reader ({@link CsvRecordReader})
 * in one thread, no Beam, no cleaning, nothing written. Every field is decoded, as in the pipeline.
 * A run cannot be faster than this on one core; the ratio to it says what the rest of the job
 * costs.
 */
final class ParseFloor {
  private ParseFloor() {}

  record Result(long records, long fields, double seconds) {}

  /** Parses all files {@code passes} times and keeps the fastest pass (the first warms the JIT). */
  static Result measure(List<Path> files, int passes) throws IOException {
    Result best = null;
    for (int i = 0; i < passes; i++) {
      Result r = once(files);
      if (best == null || r.seconds() < best.seconds()) {
        best = r;
      }
    }
    return best;
  }

  static Result once(List<Path> files) throws IOException {
    long start = System.nanoTime();
    long records = 0;
    long fields = 0;
    for (Path p : files) {
      try (InputStream in = Files.newInputStream(p);
          CsvRecordReader reader = new CsvRecordReader(in)) {
        CsvRecord header = reader.next();
        if (header == null) {
          continue;
        }
        CsvRecord r;
        while ((r = reader.next()) != null) {
          records++;
          fields += r.size();
        }
      }
    }
    return new Result(records, fields, (System.nanoTime() - start) / 1e9);
  }
}
