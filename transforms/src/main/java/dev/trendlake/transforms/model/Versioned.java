package dev.trendlake.transforms.model;

/**
 * A value read from one version of a bronze file, with that version's change token ({@link
 * dev.trendlake.transforms.BronzePaths#changeToken}): a continuous job may hold rows of two
 * versions of the same file at once (one replayed from a checkpoint, one read since the file
 * changed), and only the token tells them apart, since their lineage ({@code source_file}, {@code
 * source_line}) is the same.
 */
public record Versioned<T>(String token, T value) {
  public Versioned {
    if (token == null) {
      throw new IllegalArgumentException("a versioned value needs its file's change token");
    }
  }
}
