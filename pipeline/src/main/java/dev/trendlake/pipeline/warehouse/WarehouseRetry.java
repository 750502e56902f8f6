package dev.trendlake.pipeline.warehouse;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one transactional warehouse step with retries, on resilience4j's {@link Retry} (the policy
 * the ingest command uses too, so the two retry the same way). Each attempt gets a healthy
 * connection (a new one after a failure), runs the step, and commits; the step must be idempotent
 * (every step of the load deletes what an earlier attempt may have staged before it writes). Only
 * failures a retry can cure are retried: a lost or refused connection (SQL state class 08), an
 * administrator shutdown or {@code pg_terminate_backend} (57P01..57P03), a serialization failure or
 * deadlock (40001, 40P01), too many connections (53300). Anything else (a bad statement, a
 * constraint) fails at once. The wait doubles from {@link WarehouseTarget#backoffMillis()} up to
 * {@value #MAX_BACKOFF_MILLIS} ms, each wait drawn within 50% of that, so parallel workers that
 * lost the same server do not come back in lockstep.
 */
public final class WarehouseRetry {
  private static final Logger LOG = LoggerFactory.getLogger(WarehouseRetry.class);
  static final long MAX_BACKOFF_MILLIS = 30_000;

  /** A step run inside one transaction. */
  public interface Step<T> {
    T run(Connection c) throws SQLException;
  }

  private final WarehouseTarget target;
  private final RetryConfig config;
  private Connection connection;

  public WarehouseRetry(WarehouseTarget target) {
    this.target = target;
    this.config =
        RetryConfig.custom()
            .maxAttempts(target.attempts())
            .intervalFunction(
                IntervalFunction.ofExponentialRandomBackoff(
                    Duration.ofMillis(target.backoffMillis()),
                    2.0,
                    0.5,
                    Duration.ofMillis(MAX_BACKOFF_MILLIS)))
            .retryOnException(e -> e instanceof SQLException s && isTransient(s))
            .build();
  }

  public static boolean isTransient(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String st = s.getSQLState();
        if (st.startsWith("08")
            || st.startsWith("57P")
            || st.equals("40001")
            || st.equals("40P01")
            || st.equals("53300")) {
          return true;
        }
      }
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  public <T> T run(String what, Step<T> step) {
    Retry retry = Retry.of(what, config);
    int[] attempts = {0};
    retry
        .getEventPublisher()
        .onRetry(
            e -> {
              SQLException s = (SQLException) e.getLastThrowable();
              LOG.warn(
                  "warehouse step '{}' failed at {} (SQL state {}: {}); retry {} of {} in {} ms",
                  what,
                  target.describe(),
                  s.getSQLState(),
                  Secrets.scrub(s.getMessage()),
                  e.getNumberOfRetryAttempts(),
                  target.attempts() - 1,
                  e.getWaitInterval().toMillis());
            });
    try {
      return retry.executeCheckedSupplier(
          () -> {
            attempts[0]++;
            return attempt(step);
          });
    } catch (SQLException e) {
      String why =
          isTransient(e)
              ? " after " + attempts[0] + " attempt" + (attempts[0] == 1 ? "" : "s")
              : "";
      throw new WarehouseException(
          "warehouse step '"
              + what
              + "' failed"
              + why
              + " at "
              + target.describe()
              + " ("
              + target.dialect()
              + ", SQL state "
              + e.getSQLState()
              + "): "
              + Secrets.scrub(e.getMessage()));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new WarehouseException(
          "warehouse step '" + what + "' failed: " + Secrets.scrub(String.valueOf(t)));
    }
  }

  /** One attempt: a healthy connection, the step, the commit; on failure, rollback and close. */
  private <T> T attempt(Step<T> step) throws SQLException {
    try {
      if (connection == null || connection.isClosed()) {
        connection = target.connect();
      }
      T out = step.run(connection);
      connection.commit();
      return out;
    } catch (SQLException e) {
      rollbackAndClose();
      throw e;
    }
  }

  private void rollbackAndClose() {
    if (connection == null) {
      return;
    }
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken: it is closed below and a new one is opened on the next attempt
    }
    close();
  }

  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing a broken connection may fail; nothing is left to release
      }
      connection = null;
    }
  }
}
