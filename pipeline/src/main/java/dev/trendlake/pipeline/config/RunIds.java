package dev.trendlake.pipeline.config;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What a run id looks like: it names the manifest and the staging folder, so it holds only
 * characters every store accepts in a name, whether the user chose it or it was made here.
 */
final class RunIds {
  private RunIds() {}

  /** {@code --runId}, when the user set one: a problem unless it is a safe name. */
  static void check(String runId, List<String> problems) {
    if (runId != null && !runId.matches("[A-Za-z0-9_.-]{1,64}")) {
      problems.add(
          "--runId may hold only letters, digits, '.', '_' and '-' (1 to 64 of them), got '"
              + runId
              + "'");
    }
  }

  /** UTC time to the second and random hex digits: sortable, and unique enough. */
  static String newRunId(Instant now) {
    byte[] b = new byte[3];
    new SecureRandom().nextBytes(b);
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC)
            .format(now)
        + "-"
        + HexFormat.of().formatHex(b);
  }
}
