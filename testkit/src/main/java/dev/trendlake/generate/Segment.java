package dev.trendlake.generate;

import dev.trendlake.transforms.model.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** One region's records in one layout: days of trending lists, rolled over into files. */
final class Segment {
  private final BronzeGenerator gen;

  private final String region;
  private final boolean kaggle;
  private final long records;
  private final SplittableRandom rng;
  private final boolean lacks29;
  private final List<String> local;
  private final Expected.Region exp;
  private final Videos videos;
  private final List<byte[]> recent = new ArrayList<>();
  private final List<Boolean> recentRepaired = new ArrayList<>();

  private OutputStream out;
  private long fileBytes;
  private int fileIndex;

  Segment(
      BronzeGenerator gen,
      String region,
      boolean kaggle,
      long records,
      SplittableRandom rng,
      boolean lacks29) {
    this.gen = gen;
    this.region = region;
    this.kaggle = kaggle;
    this.records = records;
    this.rng = rng;
    this.lacks29 = lacks29;
    this.local = Vocabulary.localFor(region);
    this.exp = gen.expected.region(region);
    this.videos = new Videos(gen, rng, local, kaggle);
  }

  void write() throws IOException {
    // the API segment's last record is the cut-off one
    long normal = kaggle ? records : records - 1;
    int days = (int) Math.max(1, Math.min(120, normal / 20));
    List<Video> active = new ArrayList<>();
    long written = 0;
    for (int d = 0; d < days; d++) {
      long quota = normal * (d + 1) / days - normal * d / days;
      if (quota == 0) {
        continue;
      }
      LocalDate date =
          (kaggle ? BronzeGenerator.KAGGLE_FIRST : BronzeGenerator.API_FIRST).plusDays(d);
      if (out == null || fileBytes >= gen.settings.fileBytes() || gen.settings.filePerDay()) {
        openFile(date);
      }
      List<Video> today = new ArrayList<>();
      for (Video v : active) {
        if (v.remaining > 0 && today.size() < quota) {
          today.add(v);
          v.lastDay = d;
        }
      }
      int next = 0;
      for (long k = 0; k < quota; k++) {
        long slot = written;
        if (slot % (1000 / BronzeGenerator.BAD_PER_MILLE) == 100) {
          Video v = next < today.size() ? today.get(next) : videos.newVideo(date);
          Reason kind =
              BronzeGenerator.BAD_KINDS.get(
                  (int) (gen.badCycle++ % BronzeGenerator.BAD_KINDS.size()));
          emit(bad(v, date, kind), false);
          exp.quarantinedByReason.merge(kind.code(), 1L, Long::sum);
        } else if (slot % (1000 / BronzeGenerator.DUP_PER_MILLE) == 200 && !recent.isEmpty()) {
          int pick = rng.nextInt(recent.size());
          emit(recent.get(pick), recentRepaired.get(pick));
          exp.duplicates++;
        } else {
          Video v;
          if (next < today.size()) {
            v = today.get(next++);
          } else {
            v = videos.newVideo(date);
            v.lastDay = d;
            active.add(v);
          }
          boolean repaired = slot % (1000 / BronzeGenerator.UTF8_PER_MILLE) == 30;
          byte[] rec = good(v, date, repaired);
          emit(rec, repaired);
          remember(rec, repaired);
          exp.silver++;
          if (lacks29 && v.categoryId == 29) {
            exp.unknownCategory++;
          }
          v.remaining--;
          v.day++;
        }
        written++;
      }
      int day = d;
      // a video left out today (the list was full) drops out now and then, as real ones do
      active.removeIf(v -> v.remaining <= 0 || v.lastDay != day && rng.nextInt(4) == 0);
    }
    if (out == null) {
      openFile(kaggle ? BronzeGenerator.KAGGLE_FIRST : BronzeGenerator.API_FIRST);
    }
    if (!kaggle) {
      // a partial upload: the file ends inside the quoted description
      Video v = videos.newVideo(BronzeGenerator.API_FIRST.plusDays(days));
      byte[] rec = good(v, BronzeGenerator.API_FIRST.plusDays(days), false);
      int start = lastQuoteOpen(rec);
      int keep =
          Math.max(
              start + 1,
              Math.min(rec.length - Math.max(2, v.description.length() / 2) - 2, rec.length - 3));
      while (keep > start + 1 && (rec[keep] & 0xC0) == 0x80) {
        keep--; // never split a UTF-8 sequence: that would add an encoding repair
      }
      byte[] partial = java.util.Arrays.copyOf(rec, keep);
      out.write(partial);
      fileBytes += partial.length;
      exp.quarantinedByReason.merge(Reason.MALFORMED_CSV.code(), 1L, Long::sum);
      written++;
    }
    exp.records += written;
    closeFile();
  }

  /** Index of the opening quote of the record's last field. */
  private int lastQuoteOpen(byte[] rec) {
    for (int i = rec.length - 1; i > 0; i--) {
      if (rec[i] == '"' && rec[i - 1] == ',') {
        return i;
      }
    }
    return 0;
  }

  private void remember(byte[] rec, boolean repaired) {
    if (recent.size() < 256) {
      recent.add(rec);
      recentRepaired.add(repaired);
    } else {
      int i = rng.nextInt(256);
      recent.set(i, rec);
      recentRepaired.set(i, repaired);
    }
  }

  private void emit(byte[] rec, boolean repaired) throws IOException {
    out.write(rec);
    byte[] eol = kaggle ? BronzeGenerator.CRLF : BronzeGenerator.LF;
    out.write(eol);
    fileBytes += rec.length + eol.length;
    if (repaired) {
      exp.encodingRepairs++;
    }
  }

  private void openFile(LocalDate date) throws IOException {
    closeFile();
    String xx = region.toUpperCase(Locale.ROOT);
    String name = kaggle ? xx + "videos-" : xx + "_youtube_trending_data-";
    String path =
        gen.settings.output()
            + "/raw_statistics/region="
            + region
            + "/ts="
            + date.format(DateTimeFormatter.BASIC_ISO_DATE)
            + "0000/"
            + name
            + String.format(Locale.ROOT, "%03d", fileIndex++)
            + ".csv";
    out = BronzeGenerator.open(path);
    byte[] header =
        ((kaggle ? BronzeGenerator.KAGGLE_HEADER : BronzeGenerator.API_HEADER)
                + (kaggle ? "\r\n" : "\n"))
            .getBytes(StandardCharsets.UTF_8);
    out.write(header);
    fileBytes = header.length;
    exp.files++;
  }

  private void closeFile() throws IOException {
    if (out != null) {
      out.close();
      exp.bytes += fileBytes;
      out = null;
    }
  }

  private long[] counts(Video v) {
    long views = (long) (v.views0 * (1 + v.growth * v.day) * (0.98 + rng.nextDouble() * 0.04));
    return new long[] {
      views,
      (long) (views * v.likeRatio),
      (long) (views * v.dislikeRatio),
      (long) (views * v.commentRatio)
    };
  }

  private String[] fields(Video v, LocalDate date) {
    long[] c = counts(v);
    String likes = v.ratingsDisabled || v.hiddenLikes ? (kaggle ? "0" : "") : String.valueOf(c[1]);
    String dislikes = kaggle ? String.valueOf(c[2]) : (v.ratingsDisabled ? "" : "0");
    String thumb = "https://i.ytimg.com/vi/" + v.id + "/default.jpg";
    if (kaggle) {
      return new String[] {
        v.id,
        date.format(BronzeGenerator.KAGGLE_DATE),
        v.title,
        v.channelTitle,
        String.valueOf(v.categoryId),
        v.published.format(BronzeGenerator.KAGGLE_TIME),
        kaggleTags(v),
        String.valueOf(c[0]),
        likes,
        dislikes,
        String.valueOf(c[3]),
        thumb,
        bool(v.commentsDisabled),
        bool(v.ratingsDisabled),
        bool(false),
        v.description
      };
    }
    return new String[] {
      v.id,
      v.title,
      v.published.format(BronzeGenerator.API_TIME),
      v.channelId,
      v.channelTitle,
      String.valueOf(v.categoryId),
      date.atStartOfDay().format(BronzeGenerator.API_TIME),
      v.tags.isEmpty() ? "[None]" : String.join("|", v.tags),
      String.valueOf(c[0]),
      likes,
      dislikes,
      String.valueOf(c[3]),
      thumb,
      v.commentsDisabled ? "True" : "False",
      v.ratingsDisabled ? "True" : "False",
      v.description
    };
  }

  private String bool(boolean b) {
    // Kaggle files use True/False, a few tools wrote TRUE/false
    String s = b ? "True" : "False";
    return rng.nextInt(50) == 0 ? s.toUpperCase(Locale.ROOT) : s;
  }

  private String kaggleTags(Video v) {
    if (v.tags.isEmpty()) {
      return "[none]";
    }
    if (v.tagStyle == 1) {
      return "\"" + String.join("\"|\"", v.tags) + "\"";
    }
    return String.join("|", v.tags);
  }

  private byte[] good(Video v, LocalDate date, boolean invalidUtf8) {
    return encode(fields(v, date), invalidUtf8, -1);
  }

  private byte[] bad(Video v, LocalDate date, Reason kind) {
    String[] f = fields(v, date);
    int vid = 0;
    int td = kaggle ? 1 : 6;
    int pt = kaggle ? 5 : 2;
    int cat = kaggle ? 4 : 5;
    int[] countCols = kaggle ? new int[] {7, 8, 9, 10} : new int[] {8, 9, 10, 11};
    int[] boolCols = kaggle ? new int[] {12, 13, 14} : new int[] {13, 14};
    switch (kind) {
      case MALFORMED_CSV -> {
        if (rng.nextBoolean()) {
          return encode(java.util.Arrays.copyOf(f, f.length - 1), false, -1);
        }
        String[] more = java.util.Arrays.copyOf(f, f.length + 1);
        more[f.length] = "extra";
        return encode(more, false, -1);
      }
      case INVALID_VIDEO_ID ->
          f[vid] = oneOf("#NAME?", f[vid].substring(0, 10), f[vid] + "x", "", "abc.defghij");
      case INVALID_TRENDING_DATE ->
          f[td] =
              kaggle
                  ? oneOf("17.32.11", "17.14.13", "xx.14.11", "", "17/14/11", "1714.11")
                  : oneOf(
                      "2020-02-30T00:00:00Z",
                      "2020-13-01T00:00:00Z",
                      "yesterday",
                      "",
                      "12/08/2020");
      case INVALID_PUBLISH_TIME ->
          f[pt] =
              oneOf(
                  "2017-11-31T10:00:00.000Z",
                  "not a date",
                  "",
                  "13/11/2017 17:13",
                  "2017-11-13T25:61:00.000Z");
      case INVALID_CATEGORY_ID -> f[cat] = oneOf("abc", "1.5", "", "NaN", "24 music");
      case INVALID_COUNT ->
          f[countCols[rng.nextInt(4)]] = oneOf("-5", "1.5e3", "abc", "12,345", "NaN", "0x1F");
      case INVALID_BOOLEAN ->
          f[boolCols[rng.nextInt(boolCols.length)]] = oneOf("yes", "no", "1", "0", "", "T");
      default -> throw new IllegalStateException("no bad record for " + kind);
    }
    return encode(f, false, -1);
  }

  private String oneOf(String... values) {
    return values[rng.nextInt(values.length)];
  }

  /**
   * CSV bytes of one record: minimal quoting in the Kaggle layout, every field quoted in the API's.
   */
  private byte[] encode(String[] fields, boolean invalidUtf8, int unused) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(2048);
    int tagsCol = 6;
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        b.write(',');
      }
      String f = fields[i];
      boolean titleField = i == (kaggle ? 2 : 1);
      if (kaggle
          && i == tagsCol
          && f.startsWith("\"")
          && f.indexOf(',') < 0
          && f.indexOf('\n') < 0) {
        b.writeBytes(f.getBytes(StandardCharsets.UTF_8)); // the early "a"|"b" form, as found
        continue;
      }
      boolean quote =
          !kaggle
              || f.indexOf(',') >= 0
              || f.indexOf('"') >= 0
              || f.indexOf('\n') >= 0
              || f.indexOf('\r') >= 0;
      if (quote) {
        b.write('"');
      }
      if (titleField && invalidUtf8) {
        b.write(0xFF); // a lone byte that is never valid UTF-8: one repair
      }
      byte[] bytes = (quote ? f.replace("\"", "\"\"") : f).getBytes(StandardCharsets.UTF_8);
      b.writeBytes(bytes);
      if (quote) {
        b.write('"');
      }
    }
    return b.toByteArray();
  }
}
