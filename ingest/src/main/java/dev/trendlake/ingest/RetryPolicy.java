package dev.trendlake.ingest;

import java.time.Duration;
import java.util.Random;

/**
 * Bounded exponential backoff with jitter for transient API answers (HTTP 429, 5xx, a dropped
 * connection). The n-th retry waits a random time between half and all of {@code initial *
 * 2^(n-1)}, capped at {@code max}; a server's {@code Retry-After} raises the wait, never past
 * {@code max}. Jitter keeps several regions or jobs that failed together from retrying in lockstep.
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

  /** The wait before retry number {@code retry} (1-based). {@code retryAfter} may be null. */
  public Duration delay(int retry, Duration retryAfter, Random random) {
    long cap = max.toMillis();
    long base = initial.toMillis();
    for (int i = 1; i < retry && base < cap; i++) {
      base *= 2;
    }
    base = Math.min(base, cap);
    long half = base / 2;
    long wait = half + (base - half == 0 ? 0 : (long) (random.nextDouble() * (base - half + 1)));
    if (retryAfter != null) {
      wait = Math.max(wait, Math.min(retryAfter.toMillis(), cap));
    }
    return Duration.ofMillis(Math.min(wait, cap));
  }
}
