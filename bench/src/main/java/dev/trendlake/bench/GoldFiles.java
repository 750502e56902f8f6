package dev.trendlake.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Sizes of the gold Parquet files a run wrote: count, total, smallest, median, largest. */
final class GoldFiles {
  private GoldFiles() {}

  static void summarise(Path gold, ObjectNode into) throws IOException {
    List<Long> sizes;
    if (!Files.isDirectory(gold)) {
      sizes = List.of();
    } else {
      try (Stream<Path> s = Files.walk(gold)) {
        sizes =
            s.filter(p -> p.toString().endsWith(".parquet") && Files.isRegularFile(p))
                .map(p -> p.toFile().length())
                .sorted()
                .toList();
      }
    }
    long total = sizes.stream().mapToLong(Long::longValue).sum();
    long partitions;
    if (!Files.isDirectory(gold)) {
      partitions = 0;
    } else {
      try (Stream<Path> s = Files.walk(gold)) {
        partitions = s.filter(p -> p.getFileName().toString().startsWith("trending_date=")).count();
      }
    }
    into.put("files", sizes.size());
    into.put("partitions", partitions);
    into.put("total_mib", Bench.round(total / 1048576.0));
    into.put("min_kib", sizes.isEmpty() ? 0 : Math.round(sizes.get(0) / 1024.0));
    into.put("median_kib", sizes.isEmpty() ? 0 : Math.round(sizes.get(sizes.size() / 2) / 1024.0));
    into.put("max_kib", sizes.isEmpty() ? 0 : Math.round(sizes.get(sizes.size() - 1) / 1024.0));
  }
}
