package dev.trendlake.pipeline.warehouse;

/**
 * A warehouse step failed. The message names the host and database and what went wrong, and has
 * been through {@link Secrets#scrub}; the driver's exception is deliberately not kept as the cause,
 * because drivers may echo connection properties in their messages.
 */
public final class WarehouseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WarehouseException(String message) {
    super(Secrets.scrub(message));
  }
}
