package dev.trendlake.pipeline.continuous;

import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Every category file a watcher poll found, emitted when the set or a file's change token differs
 * from the listing emitted before: category files are read whole, as a batch run reads them.
 *
 * @param generation increases with each listing a job emits: the newest snapshot wins
 */
public record CategoryListing(long generation, List<MatchResult.Metadata> files) {}
