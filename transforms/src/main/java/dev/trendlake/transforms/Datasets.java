package dev.trendlake.transforms;

import dev.trendlake.transforms.tmdb.TmdbDataset;
import dev.trendlake.transforms.youtube.YouTubeDataset;
import java.util.List;
import java.util.Optional;

/**
 * Every dataset trendlake knows, by the name {@code --dataset} takes: the one place a new dataset
 * is registered.
 */
public final class Datasets {
  private Datasets() {}

  /** The default dataset first. */
  public static final List<Dataset> ALL = List.of(YouTubeDataset.INSTANCE, TmdbDataset.INSTANCE);

  public static Dataset defaultDataset() {
    return ALL.get(0);
  }

  public static Optional<Dataset> byName(String name) {
    return ALL.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /** The names, for messages: {@code youtube|tmdb}. */
  public static String names() {
    return String.join("|", ALL.stream().map(Dataset::name).toList());
  }

  /** True when {@code kind} is the kind of some dataset's side-input files. */
  public static boolean isSideKind(String kind) {
    return ALL.stream().anyMatch(d -> d.side().kind().equals(kind));
  }
}
