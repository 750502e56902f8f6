package dev.trendlake.runners;

/**
 * Chooses the log format before the first logger exists: {@code logback.xml} (text lines with date
 * and time) or, with {@code --logFormat=json}, {@code logback-json.xml} (one JSON object a line,
 * for CloudWatch, EMR and other log shippers). Both configurations silence the WARN lines Flink and
 * Hadoop print on every start that are harmless here (no native Hadoop, no delegation tokens, no
 * web UI in the embedded cluster), by logger, so a real warning from them still shows.
 */
final class LogSetup {
  private LogSetup() {}

  static final String CONFIG_PROPERTY = "logback.configurationFile";

  static void configure(String[] args) {
    if (System.getProperty(CONFIG_PROPERTY) != null) {
      return; // the user's own configuration wins
    }
    for (int i = 0; i < args.length; i++) {
      boolean json =
          args[i].equalsIgnoreCase("--logFormat=json")
              || (args[i].equals("--logFormat")
                  && i + 1 < args.length
                  && args[i + 1].equalsIgnoreCase("json"));
      if (json) {
        System.setProperty(CONFIG_PROPERTY, "logback-json.xml");
        return;
      }
    }
  }
}
