package dev.trendlake.transforms.tally;

import java.io.Serializable;

/**
 * Rows written for one region: silver and gold rows, gold rows whose category is unknown for the
 * region, and the categories read for it.
 */
public record RegionTally(long silver, long gold, long unknownCategory, long categories)
    implements Serializable {

  public static final RegionTally ZERO = new RegionTally(0, 0, 0, 0);

  public RegionTally plus(RegionTally o) {
    return new RegionTally(
        silver + o.silver,
        gold + o.gold,
        unknownCategory + o.unknownCategory,
        categories + o.categories);
  }
}
