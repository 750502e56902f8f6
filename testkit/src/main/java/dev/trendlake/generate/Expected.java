package dev.trendlake.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a correct run must report for a generated bronze tree: the generator knows every record's
 * fate when it writes it. Written as {@code _expected.json} at the bronze root; the field names
 * follow the run manifest's ({@code records}, {@code silver}, {@code quarantined_by_reason}, ...)
 * so a test can compare the two directly.
 */
public final class Expected {
  /** Per region. */
  public static final class Region {
    public long records;
    public long silver;
    public long duplicates;
    public long encodingRepairs;
    public long unknownCategory;
    public long categories;
    public long files;
    public long bytes;
    public final TreeMap<String, Long> quarantinedByReason = new TreeMap<>();

    public long quarantined() {
      return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * The dataset generated when not YouTube's ({@code tmdb}, whose groups are lists), else null: a
   * YouTube tree's file stays as it was.
   */
  public String dataset;

  public long seed;
  public long rows;

  /**
   * Per group: regions for YouTube, lists for TMDB, as the manifest's {@code regions} section names
   * them.
   */
  public final TreeMap<String, Region> regions = new TreeMap<>();

  /** A TMDB tree's genre rows and rejected genres (the side input, apart from the totals). */
  public long sideRows;

  public final TreeMap<String, Long> sideQuarantinedByReason = new TreeMap<>();

  public Region region(String r) {
    return regions.computeIfAbsent(r, k -> new Region());
  }

  public long total(java.util.function.ToLongFunction<Region> f) {
    return regions.values().stream().mapToLong(f).sum();
  }

  public Map<String, Long> quarantinedByReason() {
    TreeMap<String, Long> m = new TreeMap<>();
    for (Region r : regions.values()) {
      r.quarantinedByReason.forEach((k, v) -> m.merge(k, v, Long::sum));
    }
    return m;
  }

  public String toJson() {
    ObjectMapper mapper =
        new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    ObjectNode root = mapper.createObjectNode();
    root.put("generator", "trendlake generate");
    if (dataset != null) {
      root.put("dataset", dataset);
    }
    root.put("seed", seed);
    root.put("records", total(r -> r.records));
    root.put("silver", total(r -> r.silver));
    root.put("gold", total(r -> r.silver));
    root.put("quarantined", total(Region::quarantined));
    root.put("duplicates", total(r -> r.duplicates));
    root.put("encoding_repairs", total(r -> r.encodingRepairs));
    root.put("unknown_category", total(r -> r.unknownCategory));
    root.put("files", total(r -> r.files));
    root.put("bytes", total(r -> r.bytes));
    ObjectNode q = root.putObject("quarantined_by_reason");
    quarantinedByReason().forEach(q::put);
    if (dataset != null) {
      ObjectNode side = root.putObject("genres");
      side.put("silver", sideRows);
      ObjectNode sq = side.putObject("quarantined_by_reason");
      sideQuarantinedByReason.forEach(sq::put);
    }
    ObjectNode regs = root.putObject("regions");
    regions.forEach(
        (name, r) -> {
          ObjectNode n = regs.putObject(name);
          n.put("records", r.records);
          n.put("silver", r.silver);
          n.put("gold", r.silver);
          n.put("quarantined", r.quarantined());
          n.put("duplicates", r.duplicates);
          n.put("encoding_repairs", r.encodingRepairs);
          n.put("unknown_category", r.unknownCategory);
          n.put("categories", r.categories);
          n.put("files", r.files);
          n.put("bytes", r.bytes);
          ObjectNode rq = n.putObject("quarantined_by_reason");
          r.quarantinedByReason.forEach(rq::put);
        });
    try {
      return mapper.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
