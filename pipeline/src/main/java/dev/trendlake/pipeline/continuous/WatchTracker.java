package dev.trendlake.pipeline.continuous;

import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The restriction tracker of the bronze watcher: one poll per claim. A call of the watcher claims
 * the state after its poll, then returns; the runner checkpoints by splitting, which leaves the
 * claimed state as the residual, the work still to do. So the state in a Flink checkpoint or
 * savepoint is always the state after the last poll whose outputs were emitted, and a restore
 * resumes polling from it. A state marked {@link WatchState#done} ends the watch.
 */
final class WatchTracker extends RestrictionTracker<WatchState, WatchState> {
  private WatchState state;
  private @Nullable WatchState claimed;
  private boolean stopped;

  WatchTracker(WatchState state) {
    this.state = state;
  }

  @Override
  public boolean tryClaim(WatchState next) {
    if (stopped || state.done()) {
      return false;
    }
    claimed = next;
    stopped = true;
    return true;
  }

  @Override
  public WatchState currentRestriction() {
    return state;
  }

  @Override
  public @Nullable SplitResult<WatchState> trySplit(double fractionOfRemainder) {
    if (state.done()) {
      return null;
    }
    WatchState residual = claimed == null ? state : claimed;
    // the primary is the work of this call, all done: nothing to poll
    state = residual.finished();
    stopped = true;
    return residual.done() ? null : SplitResult.of(state, residual);
  }

  @Override
  public void checkDone() throws IllegalStateException {
    if (!stopped && !state.done()) {
      throw new IllegalStateException("a watch poll ended without claiming its state");
    }
  }

  @Override
  public IsBounded isBounded() {
    return state.done() || (claimed != null && claimed.done())
        ? IsBounded.BOUNDED
        : IsBounded.UNBOUNDED;
  }
}
