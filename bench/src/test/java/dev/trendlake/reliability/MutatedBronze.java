package dev.trendlake.reliability;

import dev.trendlake.generate.BronzeGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A seeded generator of hostile bronze: realistic files from {@link BronzeGenerator} (both CSV
 * layouts, quoted line breaks, duplicates, bad records), each damaged by one {@link Mutation} and
 * put under an odd name or folder, plus category JSON damaged likewise and the file-system entries
 * a careless upload leaves (links, loops, FIFOs, unreadable files and folders). The same seed gives
 * the same tree; {@link #cases} says what was made, for the report.
 */
final class MutatedBronze {

  /** One way to damage a statistics CSV. */
  enum Mutation {
    NONE,
    BYTE_FLIPS,
    TRUNCATED_IN_QUOTES,
    TRUNCATED_AFTER_SEPARATOR,
    TRUNCATED_IN_CRLF,
    TRUNCATED_IN_UTF8,
    TRUNCATED_AFTER_HEADER,
    NUL_BYTES,
    HUGE_FIELD,
    WIDE_ROW,
    HEADER_ONLY,
    EMPTY,
    BOM,
    MIXED_LINE_ENDS,
    UNBALANCED_QUOTE,
    WINDOWS_1252,
    UTF16,
    GZIP,
    DUPLICATED_ROWS
  }

  /** One way to damage a category JSON. */
  enum CategoryMutation {
    NONE,
    TRUNCATED,
    WRONG_SHAPE,
    ITEM_NOT_OBJECT,
    HUGE,
    DUPLICATE_IDS_OTHER_TITLES,
    UTF16,
    WINDOWS_1252,
    BOM
  }

  private final Path base;
  private final List<byte[]> csvs = new ArrayList<>();
  private final List<byte[]> categories = new ArrayList<>();
  final Map<String, Integer> cases = new TreeMap<>();

  /** Base files generated once into {@code scratch}, reused by every batch. */
  MutatedBronze(Path scratch, long seed) throws IOException {
    this.base = scratch;
    BronzeGenerator.generate(
        new BronzeGenerator.Settings(
            3000, scratch.toString(), List.of("us", "gb", "jp"), seed, 8 * 1024));
    try (Stream<Path> s = Files.walk(scratch)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        String n = p.getFileName().toString();
        if (n.endsWith(".csv")) {
          csvs.add(Files.readAllBytes(p));
        } else if (n.endsWith("_category_id.json")) {
          categories.add(Files.readAllBytes(p));
        }
      }
    }
  }

  Path base() {
    return base;
  }

  private void count(String what) {
    cases.merge(what, 1, Integer::sum);
  }

  /**
   * Writes one batch: {@code files} statistics files and a few category files under {@code root},
   * and, when {@code entries}, the odd file-system entries.
   */
  void batch(Path root, long seed, int files, boolean entries) throws IOException {
    Random r = new Random(seed);
    Path stats = root.resolve("raw_statistics");
    Files.createDirectories(stats);
    // every mutation in turn from a seeded start, so each batch of 19 files or more has them all
    Mutation[] all = Mutation.values();
    int first = r.nextInt(all.length);
    for (int i = 0; i < files; i++) {
      Mutation m = all[(first + i) % all.length];
      count("csv " + m.name().toLowerCase());
      byte[] bytes = mutate(csvs.get(r.nextInt(csvs.size())), m, r);
      write(stats.resolve(folder(r)), name(r, i), bytes);
    }
    Path ref = root.resolve("raw_statistics_reference_data");
    CategoryMutation[] cats = CategoryMutation.values();
    int firstCat = r.nextInt(cats.length);
    for (int i = 0; i < Math.max(cats.length, files / 4); i++) {
      CategoryMutation m = cats[(firstCat + i) % cats.length];
      count("json " + m.name().toLowerCase());
      String region = List.of("us", "gb", "jp", "de").get(r.nextInt(4));
      Path dir = r.nextBoolean() ? ref : ref.resolve("v" + i + "/region=" + region);
      Files.createDirectories(dir);
      byte[] json = mutate(categories.get(r.nextInt(categories.size())), m, r);
      Files.write(dir.resolve(region.toUpperCase() + "_category_id.json"), json);
    }
    if (entries) {
      oddEntries(root);
    }
  }

  /** Where a file goes: mostly region folders, sometimes odd or none. */
  private String folder(Random r) {
    String region = List.of("us", "gb", "jp", "ca").get(r.nextInt(4));
    return switch (r.nextInt(10)) {
      case 0 -> "misc"; // no region: missing_region
      case 1 -> "region=" + region.toUpperCase() + "/nested/deeper";
      case 2 -> "region=/ts=1"; // an empty region value
      case 3 -> "region=" + region + "/ts=2017 with spaces";
      default -> "region=" + region + "/ts=2017111" + r.nextInt(10) + "0000";
    };
  }

  /** A file name, sometimes not plain ASCII; never one two files share. */
  private String name(Random r, int i) {
    return switch (r.nextInt(12)) {
      case 0 -> "vidéo_日本_" + i + ".csv";
      case 1 -> "UPPER_" + i + ".CSV";
      case 2 -> "with space " + i + ".csv";
      case 3 -> "new\nline_" + i + ".csv";
      case 4 -> ".hidden_" + i + ".csv";
      case 5 -> "emoji_\uD83D\uDE00_" + i + ".Csv";
      default -> "part_" + i + ".csv";
    };
  }

  private static void write(Path dir, String name, byte[] bytes) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), bytes);
  }

  byte[] mutate(byte[] csv, Mutation m, Random r) throws IOException {
    String text = new String(csv, StandardCharsets.UTF_8);
    int headerEnd = text.indexOf('\n') + 1;
    return switch (m) {
      case NONE -> csv;
      case BYTE_FLIPS -> {
        byte[] b = csv.clone();
        for (int k = 0; k < 1 + r.nextInt(8); k++) {
          int at = headerEnd + r.nextInt(Math.max(1, b.length - headerEnd));
          if (at < b.length) {
            b[at] ^= (byte) (1 << r.nextInt(8));
          }
        }
        yield b;
      }
      case TRUNCATED_IN_QUOTES -> cutAt(csv, indexAfter(csv, (byte) '"', headerEnd, r) + 2);
      case TRUNCATED_AFTER_SEPARATOR -> cutAt(csv, indexAfter(csv, (byte) ',', headerEnd, r) + 1);
      case TRUNCATED_IN_CRLF -> {
        byte[] crlf = text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        yield cutAt(crlf, indexAfter(crlf, (byte) '\r', headerEnd, r) + 1);
      }
      case TRUNCATED_IN_UTF8 -> {
        byte[] b = (text + "\n" + "x".repeat(3) + "é日本").getBytes(StandardCharsets.UTF_8);
        yield cutAt(b, b.length - 2);
      }
      case TRUNCATED_AFTER_HEADER -> cutAt(csv, headerEnd);
      case NUL_BYTES -> {
        byte[] b = csv.clone();
        for (int k = 0; k < 1 + r.nextInt(20); k++) {
          b[r.nextInt(b.length)] = 0;
        }
        yield b;
      }
      case HUGE_FIELD -> {
        int at = text.indexOf('\n', headerEnd);
        String big = "\"" + "huge ".repeat(200_000 + r.nextInt(100_000)) + "\"";
        yield (text.substring(0, at) + "," + big + text.substring(at))
            .getBytes(StandardCharsets.UTF_8);
      }
      case WIDE_ROW -> {
        StringBuilder row = new StringBuilder("wide");
        row.append(",x".repeat(100_000));
        yield (text.substring(0, headerEnd) + row + "\n" + text.substring(headerEnd))
            .getBytes(StandardCharsets.UTF_8);
      }
      case HEADER_ONLY -> cutAt(csv, headerEnd);
      case EMPTY -> new byte[0];
      case BOM -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, csv);
      case MIXED_LINE_ENDS -> {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
          b.append(line).append(List.of("\n", "\r\n", "\r").get(r.nextInt(3)));
        }
        yield b.toString().getBytes(StandardCharsets.UTF_8);
      }
      case UNBALANCED_QUOTE -> {
        int at = text.indexOf(',', headerEnd + r.nextInt(Math.max(1, text.length() - headerEnd)));
        yield at < 0
            ? csv
            : (text.substring(0, at + 1) + "\"" + text.substring(at + 1))
                .getBytes(StandardCharsets.UTF_8);
      }
      case WINDOWS_1252 ->
          (text + "caf\u00e9 \u201cquoted\u201d\n").getBytes(Charset.forName("windows-1252"));
      case UTF16 ->
          concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, text.getBytes(StandardCharsets.UTF_16LE));
      case GZIP -> {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
          gz.write(csv);
        }
        yield bos.toByteArray();
      }
      case DUPLICATED_ROWS -> {
        String rows = text.substring(headerEnd);
        yield (text + (text.endsWith("\n") ? "" : "\n") + rows).getBytes(StandardCharsets.UTF_8);
      }
    };
  }

  byte[] mutate(byte[] json, CategoryMutation m, Random r) {
    String text = new String(json, StandardCharsets.UTF_8);
    return switch (m) {
      case NONE -> json;
      case TRUNCATED -> cutAt(json, 1 + r.nextInt(json.length - 1));
      case WRONG_SHAPE ->
          (r.nextBoolean() ? "[" + text + "]" : "{\"items\": {\"id\": \"1\"}}")
              .getBytes(StandardCharsets.UTF_8);
      case ITEM_NOT_OBJECT ->
          text.replaceFirst("\"items\"\\s*:\\s*\\[", "\"items\": [42, \"x\", ")
              .getBytes(StandardCharsets.UTF_8);
      case HUGE -> {
        StringBuilder b = new StringBuilder("{\"items\": [");
        for (int i = 1; i <= 3000; i++) {
          b.append(i > 1 ? "," : "")
              .append("{\"id\": \"")
              .append(1000 + i)
              .append("\", \"snippet\": {\"title\": \"Category ")
              .append(i)
              .append("\"}}");
        }
        yield b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
      }
      case DUPLICATE_IDS_OTHER_TITLES ->
          text.replace("\"title\": \"", "\"title\": \"Other ")
              .replace("\"title\":\"", "\"title\":\"Other ")
              .getBytes(StandardCharsets.UTF_8);
      case UTF16 ->
          concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, text.getBytes(StandardCharsets.UTF_16LE));
      case WINDOWS_1252 ->
          text.replaceFirst("\"title\": \"", "\"title\": \"caf\u00e9 ")
              .getBytes(Charset.forName("windows-1252"));
      case BOM -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, json);
    };
  }

  /**
   * The entries that vanished silently before: names Java can't decode, upper-case extensions,
   * FIFOs, dangling links, link loops, links out of the root, unreadable files and folders.
   */
  void oddEntries(Path root) throws IOException {
    Path us = root.resolve("raw_statistics/region=us/odd");
    Files.createDirectories(us);
    Files.write(us.resolve("good.csv"), csvs.get(0));
    Files.write(us.resolve("notes.txt"), "not data".getBytes(StandardCharsets.UTF_8));
    sh(us, "printf 'a' > \"$(printf 'caf\\351.csv')\"");
    sh(us, "mkfifo pipe.csv");
    Files.createSymbolicLink(us.resolve("dangling.csv"), us.resolve("gone.csv"));
    Files.createSymbolicLink(us.resolve("loop"), us);
    Files.createSymbolicLink(us.resolve("loop2"), root.resolve("raw_statistics"));
    Files.createSymbolicLink(us.resolve("same.csv"), us.resolve("good.csv"));
    Files.createSymbolicLink(us.resolve("out"), base);
    Path archive = root.resolve("archive/region=gb");
    Files.createDirectories(archive);
    Files.write(archive.resolve("linked.csv"), csvs.get(1));
    Files.createSymbolicLink(us.resolve("archive"), root.resolve("archive"));
    Path locked = us.resolve("locked");
    Files.createDirectories(locked);
    Files.write(locked.resolve("inside.csv"), csvs.get(2));
    Files.write(us.resolve("unreadable.csv"), csvs.get(3));
    Files.setPosixFilePermissions(
        us.resolve("unreadable.csv"), PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    for (String e :
        List.of(
            "invalid UTF-8 name",
            "fifo",
            "dangling link",
            "link loops",
            "file link",
            "link out of root",
            "folder link in root",
            "unreadable file",
            "unreadable folder",
            "not .csv")) {
      count("entry " + e);
    }
  }

  /** Gives every entry back to its owner, so temporary folders can be deleted. */
  static void restorePermissions(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        if (!Files.isSymbolicLink(p) && !Files.isReadable(p)) {
          Files.setPosixFilePermissions(
              p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
    sh(root, "chmod -R u+rwX . 2>/dev/null || true");
  }

  static void sh(Path dir, String script) throws IOException {
    try {
      Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).start();
      if (p.waitFor() != 0) {
        throw new IOException(
            "'" + script + "' failed: " + new String(p.getErrorStream().readAllBytes()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static int indexAfter(byte[] b, byte what, int from, Random r) {
    int start = from + r.nextInt(Math.max(1, b.length - from));
    for (int i = start; i < b.length; i++) {
      if (b[i] == what) {
        return i;
      }
    }
    for (int i = from; i < b.length; i++) {
      if (b[i] == what) {
        return i;
      }
    }
    return b.length - 1;
  }

  private static byte[] cutAt(byte[] b, int at) {
    return java.util.Arrays.copyOf(b, Math.max(0, Math.min(b.length, at)));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
