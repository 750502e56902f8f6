package dev.trendlake.ingest;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Bounded exponential backoff with jitter for transient API answers (HTTP 429, 5xx, a dropped
 * connection), as a resilience4j {@link RetryConfig}: the library the warehouse load retries with
 * too, so the two follow one policy. The n-th retry waits a random time within 50% of {@code
 * initial * 2^(n-1)}, never more than {@code max}; a server's {@code Retry-After} raises the wait,
 * never past {@code max}. Jitter keeps several regions or jobs that failed together from retrying
 * in lockstep.
 *
 * @param maxAttempts attempts per request, the first included (1 = no retry)
 */
public record RetryPolicy(int maxAttempts, Duration initial, Duration max) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (initial.isNegative() || max.isNegative()) {
      throw new IllegalArgumentException("backoff durations must not be negative");
    }
  }

  /** resilience4j counts in whole milliseconds from 1: a 0 ms option waits 1 ms. */
  private IntervalFunction backoff() {
    return IntervalFunction.ofExponentialRandomBackoff(
        Math.max(1, initial.toMillis()), 2.0, 0.5, Math.max(1, max.toMillis()));
  }

  /** The wait before retry number {@code retry} (1-based). {@code retryAfter} may be null. */
  public Duration delay(int retry, Duration retryAfter) {
    long wait = backoff().apply(retry);
    if (retryAfter != null) {
      wait = Math.max(wait, Math.min(retryAfter.toMillis(), max.toMillis()));
    }
    return Duration.ofMillis(wait);
  }

  /**
   * The retry of one request answering {@code T}: retried while {@code transientAnswer} holds or on
   * an {@link IOException}; after the last attempt the last answer is returned as it is (the caller
   * reports it), a network failure thrown. {@code retryAfter} reads an answer's Retry-After (null
   * when it has none).
   */
  public <T> RetryConfig config(Predicate<T> transientAnswer, Function<T, Duration> retryAfter) {
    return RetryConfig.<T>custom()
        .maxAttempts(maxAttempts)
        .retryOnResult(transientAnswer)
        .retryOnException(e -> e instanceof IOException)
        .failAfterMaxAttempts(false)
        .intervalBiFunction(
            (retry, outcome) ->
                delay(retry, outcome.isRight() ? retryAfter.apply(outcome.get()) : null).toMillis())
        .build();
  }
}
