package dev.trendlake.runners;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import dev.trendlake.runners.cli.Cli;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Entry point for Amazon Managed Service for Apache Flink. The service starts a Java application
 * without arguments; its options come from the application's runtime properties, property group
 * {@value #PROPERTY_GROUP}, one property per pipeline option ({@code input}, {@code output}, {@code
 * awsRegion}, {@code parallelism}, ...; a leading {@code --} is allowed and ignored).
 *
 * <p>On the service the properties are read with {@link
 * KinesisAnalyticsRuntime#getApplicationProperties()}. Elsewhere they come from a local JSON file
 * of the same shape as the service's, {@code [{"PropertyGroupId": "TrendlakeOptions",
 * "PropertyMap": {"input": "...", ...}}]}, named by {@code --applicationProperties=<file>} or the
 * system property {@value #FILE_PROPERTY}. Further {@code --option=value} arguments override the
 * file, which overrides {@link RunnerDefaults#forManagedFlink(boolean)}.
 *
 * <p>The job is continuous ({@code --continuous}: bronze watched, each new file committed minutes
 * after it lands, until the application is stopped), as the service runs applications; {@code
 * continuous=false} runs the batch graph once.
 *
 * <p>The runner is always the FlinkRunner (the service runs nothing else); a different {@code
 * runner} property is an error, not silently replaced. The run is the same {@code trendlake run} as
 * on every runner. A failed run ends in an exception, not {@code System.exit}, so that the service
 * sees the job fail instead of losing its JobManager.
 */
public final class ManagedFlinkMain {
  public static final String PROPERTY_GROUP = "TrendlakeOptions";
  public static final String FILE_PROPERTY = "trendlake.applicationProperties";
  static final String FILE_ARG = "applicationProperties";

  private ManagedFlinkMain() {}

  /** A property group a user must fix; the message says what and how. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      throw new IllegalStateException(
          "trendlake run failed (status " + status + "); the reason is printed above");
    }
  }

  /** Reads the properties, builds the option list and runs; returns the exit status of the run. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String[] options;
    try {
      options = options(args);
    } catch (UsageException e) {
      err.println("trendlake: " + e.getMessage());
      return 2;
    }
    return Cli.execute(Cli.prepend("run", options), out, err);
  }

  /**
   * True when the service's runtime properties hold a {@value #PROPERTY_GROUP} group: the jar runs
   * on the service.
   */
  static boolean onService() {
    try {
      return KinesisAnalyticsRuntime.getApplicationProperties().containsKey(PROPERTY_GROUP);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The pipeline options for this run: defaults, then the property group, then explicit arguments.
   */
  static String[] options(String[] args) {
    String file = System.getProperty(FILE_PROPERTY);
    Map<String, String> explicit = new LinkedHashMap<>();
    for (String a : args) {
      if (!a.startsWith("--") || a.indexOf('=') < 0) {
        throw new UsageException("expected --option=value arguments, got '" + a + "'");
      }
      String name = a.substring(2, a.indexOf('='));
      String value = a.substring(a.indexOf('=') + 1);
      if (name.equals(FILE_ARG)) {
        file = value;
      } else {
        explicit.put(name, value);
      }
    }
    Map<String, String> given = new LinkedHashMap<>(propertyGroup(file));
    given.putAll(explicit);
    boolean continuous = !"false".equalsIgnoreCase(given.getOrDefault("continuous", "true").trim());
    Map<String, String> merged = new LinkedHashMap<>(RunnerDefaults.forManagedFlink(continuous));
    merged.putAll(given);
    String runner = merged.remove("runner");
    if (runner != null && !RunnerDefaults.isFlink(runner)) {
      throw new UsageException(
          "runner="
              + runner
              + " in "
              + PROPERTY_GROUP
              + ": Managed Service for Apache Flink runs only the FlinkRunner; remove it");
    }
    List<String> out = new ArrayList<>();
    out.add("--runner=FlinkRunner");
    merged.forEach((k, v) -> out.add("--" + k + "=" + v));
    return out.toArray(new String[0]);
  }

  /**
   * The {@value #PROPERTY_GROUP} group, from the service ({@code file == null}) or a local file.
   */
  static Map<String, String> propertyGroup(String file) {
    Map<String, Properties> groups;
    String where;
    try {
      if (file == null) {
        where = "the application's runtime properties";
        groups = KinesisAnalyticsRuntime.getApplicationProperties();
      } else {
        where = file;
        if (!Files.isRegularFile(Path.of(file))) {
          // the library returns no groups for a missing file; say so instead
          throw new UsageException("application properties file " + file + " does not exist");
        }
        groups = KinesisAnalyticsRuntime.getApplicationProperties(file);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof UsageException u) {
        throw u;
      }
      throw new UsageException(
          "could not read the application properties"
              + (file == null ? "" : " from " + file)
              + ": expected [{\"PropertyGroupId\": \""
              + PROPERTY_GROUP
              + "\", \"PropertyMap\": {...}}] ("
              + e.getClass().getSimpleName()
              + ")");
    }
    Properties group = groups.get(PROPERTY_GROUP);
    if (group == null) {
      throw new UsageException(
          "no property group "
              + PROPERTY_GROUP
              + " in "
              + where
              + (groups.isEmpty() ? "" : " (found " + new TreeSet<>(groups.keySet()) + ")")
              + ": add one with a property per option, at least input and output");
    }
    Map<String, String> options = new LinkedHashMap<>();
    List<String> bad = new ArrayList<>();
    for (String key : new TreeSet<>(group.stringPropertyNames())) {
      String name = key.startsWith("--") ? key.substring(2) : key;
      if (!name.matches("[A-Za-z][A-Za-z0-9]*")) {
        bad.add("'" + key + "'");
      } else {
        options.put(name, group.getProperty(key));
      }
    }
    if (!bad.isEmpty()) {
      throw new UsageException(
          PROPERTY_GROUP
              + " property names must be option names such as input or maxFileMegabytes, not "
              + String.join(", ", bad));
    }
    return options;
  }
}
