package dev.trendlake.pipeline.continuous;

import dev.trendlake.pipeline.commit.LakeState;
import dev.trendlake.pipeline.commit.ManifestStore;
import dev.trendlake.transforms.youtube.YouTubeDataset;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lake's committed state, read again only when {@code latest.json} changed (its size and time,
 * or ETag), so an idle watch costs one small listing per poll.
 *
 * <p>A {@code latest.json} that can't be read is read again at the next poll, and this one goes on
 * with the state read before: an older state only keeps files in flight a poll longer, it never
 * makes a processed file look new. With no state read yet there is none to go on with, and the poll
 * fails. (A store that serves an object while it is replaced, as s3mock does, shows a half-written
 * one; a corrupt one also fails the commit step, loudly.)
 */
final class CommittedState {
  private static final Logger LOG = LoggerFactory.getLogger(CommittedState.class);

  private final String output;
  private String seen;
  private boolean read;
  private LakeState state = LakeState.EMPTY;

  CommittedState(String output) {
    this.output = output;
  }

  LakeState get() throws IOException {
    String version = ManifestStore.latestVersion(output);
    if (version == null) {
      state = LakeState.EMPTY;
    } else if (!version.equals(seen)) {
      try {
        state = ManifestStore.state(output, false, YouTubeDataset.INSTANCE);
      } catch (ManifestStore.Unreadable e) {
        if (!read) {
          throw e;
        }
        LOG.warn(
            "Could not read the lake's state, trying again at the next poll: {}", e.getMessage());
        return state;
      }
    }
    seen = version;
    read = true;
    return state;
  }
}
