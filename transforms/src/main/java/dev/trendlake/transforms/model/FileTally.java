package dev.trendlake.transforms.model;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happened to the records of one input file. Every step that sees records adds its part and
 * tallies are merged; the run reconciles {@code records == silver + quarantined + duplicates} per
 * file before anything is committed.
 */
public final class FileTally implements Serializable {
  private static final long serialVersionUID = 1L;

  public String path;
  public String kind; // statistics | categories
  public String region;
  public String layout;
  public long records;
  public long silver;
  public final TreeMap<String, Long> quarantined = new TreeMap<>();
  public long duplicates;
  public long encodingRepairs;

  public FileTally() {}

  public FileTally(String path, String kind) {
    this.path = path;
    this.kind = kind;
  }

  public long quarantinedTotal() {
    long n = 0;
    for (long v : quarantined.values()) {
      n += v;
    }
    return n;
  }

  public boolean reconciles() {
    return records == silver + quarantinedTotal() + duplicates;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileTally f
        && java.util.Objects.equals(path, f.path)
        && java.util.Objects.equals(kind, f.kind)
        && java.util.Objects.equals(region, f.region)
        && java.util.Objects.equals(layout, f.layout)
        && records == f.records
        && silver == f.silver
        && quarantined.equals(f.quarantined)
        && duplicates == f.duplicates
        && encodingRepairs == f.encodingRepairs;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(path, records, silver, duplicates);
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

  public void merge(FileTally o) {
    if (region == null) {
      region = o.region;
    }
    if (layout == null) {
      layout = o.layout;
    }
    if (kind == null) {
      kind = o.kind;
    }
    records += o.records;
    silver += o.silver;
    duplicates += o.duplicates;
    encodingRepairs += o.encodingRepairs;
    for (Map.Entry<String, Long> e : o.quarantined.entrySet()) {
      quarantined.merge(e.getKey(), e.getValue(), Long::sum);
    }
  }
}
