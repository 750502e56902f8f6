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
 *
 * <p>When the command line itself names an embedded Flink run ({@link #early}), the launcher moves
 * before anything else loads: the first JVM then costs its own start and no more. A run whose
 * runner is chosen by {@code --runner=auto} needs the input's listing first, so it moves later,
 * from {@code RunSession}, after the listing (about a second more: logging, the command line, the
 * file systems and Flink's client classes load in both JVMs).
 */
public final class Relaunch {
  private Relaunch() {}

  static final String MARK = "trendlake.relaunched";

  /**
   * The first thing the launcher does: for {@code run} with an explicit Flink runner on the
   * embedded cluster, in a JVM that does not fit it, runs it in one that does and returns that
   * JVM's exit status; otherwise -1, and the launcher goes on here. Inside a Flink client ({@code
   * flink run}, which loads the jar in its own class loader) it never moves.
   */
  public static int early(String[] args) {
    if (Launcher.class.getClassLoader() != ClassLoader.getSystemClassLoader()) {
      return -1;
    }
    Integer slots = embeddedFlinkSlots(args);
    List<String> missing = slots == null ? List.of() : missingFor(slots);
    return missing.isEmpty() ? -1 : run(missing, List.of(args));
  }

  /**
   * The slots of the embedded Flink run the command line names ({@code run}, an explicit Flink
   * {@code --runner}, no other {@code --flinkMaster} than {@code [local]}), or null when it names
   * none or its parallelism is not a number (the run reports that itself).
   */
  static Integer embeddedFlinkSlots(String[] args) {
    if (args.length == 0 || !args[0].equals("run")) {
      return null;
    }
    String master = option(args, "--flinkMaster");
    if (!RunnerDefaults.isFlink(option(args, "--runner"))
        || master != null && !master.equals("[local]")) {
      return null;
    }
    String parallelism = option(args, "--parallelism");
    try {
      return parallelism == null
          ? Runtime.getRuntime().availableProcessors()
          : Integer.parseInt(parallelism.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The last value of {@code name} as {@code name=value} or {@code name value}, or null. */
  private static String option(String[] args, String name) {
    String found = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith(name + "=")) {
        found = args[i].substring(name.length() + 1);
      } else if (args[i].equals(name) && i + 1 < args.length) {
        found = args[++i];
      }
    }
    return found;
  }

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
      if (mine.stream().noneMatch(JvmSettings::choosesCollector)) {
        add.add(JvmSettings.FLINK_GC);
      }
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
