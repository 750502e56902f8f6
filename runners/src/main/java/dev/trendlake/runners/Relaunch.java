package dev.trendlake.runners;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the launcher again in a JVM that fits an embedded Flink run, when this one does not: a JVM
 * option can't change once a JVM runs, and {@code java -jar trendlake-bundled.jar run} must behave
 * like {@code ./trendlake run}. Only from the bundled jar (tests and IDEs set their own JVM), only
 * once ({@value #MARK}), and never over the user's choices: JVM options given to this JVM (such as
 * {@code TRENDLAKE_JAVA_OPTS} in {@code ./trendlake}, including their own {@code -Xmx}) are passed
 * on, and the fixed Flink heap is added only when no heap size was given.
 */
public final class Relaunch {
  private Relaunch() {}

  static final String MARK = "trendlake.relaunched";

  /**
   * The JVM options to add for an embedded Flink run with {@code slots} slots, or an empty list
   * when this JVM already fits or may not be replaced.
   */
  public static List<String> missingFor(int slots) {
    if (System.getProperty(MARK) != null || !fromJar()) {
      return List.of();
    }
    List<String> add = new ArrayList<>();
    List<String> mine = ManagementFactory.getRuntimeMXBean().getInputArguments();
    if (mine.stream().noneMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize"))) {
      add.addAll(JvmSettings.flinkHeap(slots));
    }
    if (!Object.class.getModule().isOpen("java.util", Relaunch.class.getModule())) {
      add.addAll(JvmSettings.OPENS);
    }
    return add;
  }

  /** Runs {@code args} in a new JVM with {@code extraJvmOptions}; returns its exit status. */
  public static int run(List<String> extraJvmOptions, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(extraJvmOptions);
    cmd.add("-D" + MARK + "=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Launcher.class.getName());
    cmd.addAll(args);
    try {
      Process child = new ProcessBuilder(cmd).inheritIO().start();
      // the child ends as it does on Ctrl-C (a continuous run drains first): wait for it
      Thread stop =
          new Thread(
              () -> {
                child.destroy();
                try {
                  child.waitFor(20, java.util.concurrent.TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "trendlake-relaunch-stop");
      Runtime.getRuntime().addShutdownHook(stop);
      int status = child.waitFor();
      Runtime.getRuntime().removeShutdownHook(stop);
      return status;
    } catch (IOException e) {
      throw new IllegalStateException("could not start a JVM for the Flink run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  private static boolean fromJar() {
    try {
      Path p =
          Paths.get(Relaunch.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return p.toString().endsWith(".jar");
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return false;
    }
  }
}
