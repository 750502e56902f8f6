package dev.trendlake.transforms.tally;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What happened to the records of one input file, as one step saw it. Tallies of the same file from
 * several steps are added up ({@link #plus}); the run reconciles {@code records == silver +
 * quarantined + duplicates} per file before anything is committed.
 *
 * @param kind {@code statistics} or {@code categories}
 * @param size the file's size in bytes when it was read; -1 in the tallies of steps that did not
 *     read it
 * @param token what tells a changed file from the one read: its ETag on S3, its modification time
 *     locally ({@code mtime:<millis>}); null where the step did not read the file
 * @param quarantined records quarantined, by reason code
 */
public record FileTally(
    String path,
    String kind,
    String region,
    String layout,
    long size,
    String token,
    long records,
    long silver,
    SortedMap<String, Long> quarantined,
    long duplicates,
    long encodingRepairs)
    implements Serializable {

  public FileTally {
    quarantined = Collections.unmodifiableSortedMap(new TreeMap<>(quarantined));
  }

  public long quarantinedTotal() {
    long n = 0;
    for (long v : quarantined.values()) {
      n += v;
    }
    return n;
  }

  /** True when this tally comes from the step that read the file (it knows its size and token). */
  public boolean read() {
    return token != null;
  }

  public boolean reconciles() {
    return records == silver + quarantinedTotal() + duplicates;
  }

  /** How the file fails to reconcile, for the run's list of problems. */
  public String imbalance() {
    return path
        + ": records "
        + records
        + " != silver "
        + silver
        + " + quarantined "
        + quarantinedTotal()
        + " + duplicates "
        + duplicates;
  }

  /** Both tallies of the same file added up; the first non-null region, layout and kind win. */
  public FileTally plus(FileTally o) {
    return new Builder(path, kind).add(this).add(o).build();
  }

  @Override
  public String toString() {
    return path
        + " records="
        + records
        + " silver="
        + silver
        + " quarantined="
        + quarantined
        + " duplicates="
        + duplicates;
  }

  /** A file's tally while a step counts; {@link #build()} makes the value. */
  public static final class Builder {
    private final String path;
    private String kind;
    private String region;
    private String layout;
    private long size = -1;
    private String token;
    private long records;
    private long silver;
    private final TreeMap<String, Long> quarantined = new TreeMap<>();
    private long duplicates;
    private long encodingRepairs;

    public Builder(String path, String kind) {
      this.path = path;
      this.kind = kind;
    }

    public String region() {
      return region;
    }

    public Builder region(String r) {
      region = r;
      return this;
    }

    public Builder layout(String l) {
      layout = l;
      return this;
    }

    /** The file as it was read: its size and change token. */
    public Builder read(long sizeBytes, String changeToken) {
      size = sizeBytes;
      token = changeToken;
      return this;
    }

    public Builder records(long n) {
      records += n;
      return this;
    }

    public Builder silver(long n) {
      silver += n;
      return this;
    }

    public Builder duplicates(long n) {
      duplicates += n;
      return this;
    }

    public Builder encodingRepairs(long n) {
      encodingRepairs += n;
      return this;
    }

    public Builder quarantined(String reason, long n) {
      quarantined.merge(reason, n, Long::sum);
      return this;
    }

    /** Adds another tally of the same file. */
    public Builder add(FileTally o) {
      kind = kind == null ? o.kind() : kind;
      region = region == null ? o.region() : region;
      layout = layout == null ? o.layout() : layout;
      if (token == null && o.token() != null) {
        token = o.token();
        size = o.size();
      }
      records += o.records();
      silver += o.silver();
      duplicates += o.duplicates();
      encodingRepairs += o.encodingRepairs();
      for (Map.Entry<String, Long> e : o.quarantined().entrySet()) {
        quarantined.merge(e.getKey(), e.getValue(), Long::sum);
      }
      return this;
    }

    public FileTally build() {
      return new FileTally(
          path,
          kind,
          region,
          layout,
          size,
          token,
          records,
          silver,
          quarantined,
          duplicates,
          encodingRepairs);
    }
  }
}
