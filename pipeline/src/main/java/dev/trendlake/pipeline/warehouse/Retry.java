package dev.trendlake.pipeline.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one transactional warehouse step with retries. Each attempt gets a healthy connection (a new
 * one after a failure), runs the step, and commits; the step must be idempotent (every step of the
 * load deletes what an earlier attempt may have staged before it writes). Only failures a retry can
 * cure are retried, with exponential backoff: a lost or refused connection (SQL state class 08), an
 * administrator shutdown or {@code pg_terminate_backend} (57P01..57P03), a serialization failure or
 * deadlock (40001, 40P01), too many connections (53300). Anything else (a bad statement, a
 * constraint) fails at once.
 */
public final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

  /** A step run inside one transaction. */
  public interface Step<T> {
    T run(Connection c) throws SQLException;
  }

  private final WarehouseTarget target;
  private Connection connection;

  public Retry(WarehouseTarget target) {
    this.target = target;
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
    long backoff = target.backoffMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        if (connection == null || connection.isClosed()) {
          connection = target.connect();
        }
        T out = step.run(connection);
        connection.commit();
        return out;
      } catch (SQLException e) {
        rollbackAndMaybeClose();
        boolean retry = isTransient(e) && attempt < target.attempts();
        String msg = Secrets.scrub(e.getMessage());
        if (!retry) {
          String why =
              isTransient(e) ? " after " + attempt + " attempt" + (attempt == 1 ? "" : "s") : "";
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
                  + msg);
        }
        LOG.warn(
            "warehouse step '{}' failed at {} (SQL state {}: {}); retry {} of {} in {} ms",
            what,
            target.describe(),
            e.getSQLState(),
            msg,
            attempt,
            target.attempts() - 1,
            backoff);
        sleep(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  private void rollbackAndMaybeClose() {
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

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new WarehouseException("interrupted while waiting to retry a warehouse step");
    }
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
