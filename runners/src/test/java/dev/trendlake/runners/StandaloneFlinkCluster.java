package dev.trendlake.runners;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real multi-process Flink 1.19 session cluster for tests: one JobManager JVM and one TaskManager
 * JVM, started the way Flink's own {@code jobmanager.sh}/{@code taskmanager.sh} start them, on
 * 127.0.0.1 and free ports. The classpath is the Flink 1.19.0 jars Maven resolved for the test
 * (flink-dist is not on the registry), without Beam or trendlake classes: the job's code must come
 * from the submitted jar, as on EMR. The TaskManager's memory flags are the ones {@code
 * BashJavaUtils GET_TM_RESOURCE_PARAMS} computes from the configuration (the JobManager's likewise
 * with {@code GET_JM_RESOURCE_PARAMS}). {@link #close()} stops both processes, also when a test
 * failed, and a shutdown hook covers a JVM that dies early.
 */
final class StandaloneFlinkCluster implements AutoCloseable {
  private static final String EXEC_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

  final Path dir;
  final Path confDir;
  final int restPort;
  final String classpath;
  final List<String> jvmOpens;
  private final List<Process> processes = new ArrayList<>();
  private Process taskManager;
  private int taskManagers;
  private final Thread hook = new Thread(this::stopProcesses, "stop-flink-cluster");

  private StandaloneFlinkCluster(Path dir, int restPort, String classpath, List<String> jvmOpens) {
    this.dir = dir;
    this.confDir = dir.resolve("conf");
    this.restPort = restPort;
    this.classpath = classpath;
    this.jvmOpens = jvmOpens;
  }

  static StandaloneFlinkCluster start(Path dir, int slots)
      throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("conf"));
    Files.createDirectories(dir.resolve("tmp"));
    List<String> opens =
        Arrays.stream(System.getProperty("trendlake.jvmOpens", "").trim().split("\\s+"))
            .filter(s -> !s.isEmpty())
            .toList();
    StandaloneFlinkCluster c = new StandaloneFlinkCluster(dir, freePort(), flinkClasspath(), opens);
    Runtime.getRuntime().addShutdownHook(c.hook);
    try {
      c.writeConfig(freePort(), slots);
      c.startJobManager();
      c.startTaskManager();
      c.awaitSlots(slots, Duration.ofSeconds(120));
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  String master() {
    return "localhost:" + restPort;
  }

  String java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The test's Maven-resolved classpath without Beam, trendlake and test classes. */
  private static String flinkClasspath() {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> kept = new ArrayList<>();
    boolean runtimeWeb = false;
    for (String e : cp.split(File.pathSeparator)) {
      String p = e.replace('\\', '/');
      String name = p.substring(p.lastIndexOf('/') + 1);
      // in a reactor build the trendlake modules resolve to target/*.jar or target/classes
      if (p.isEmpty()
          || p.contains("/org/apache/beam/")
          || p.contains("/dev/trendlake/")
          || name.startsWith("trendlake-")
          || p.endsWith("/classes")
          || p.endsWith("/test-classes")
          || p.contains("surefire")
          || p.contains("failsafe")) {
        continue;
      }
      runtimeWeb |= p.contains("flink-runtime-web");
      kept.add(e);
    }
    if (!runtimeWeb || kept.stream().noneMatch(p -> p.contains("flink-runtime-1.19"))) {
      throw new IllegalStateException("the Flink 1.19 jars are not on the test classpath: " + cp);
    }
    return String.join(File.pathSeparator, kept);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void writeConfig(int rpcPort, int slots) throws IOException {
    Map<String, String> conf = new java.util.LinkedHashMap<>();
    conf.put("jobmanager.rpc.address", "localhost");
    conf.put("jobmanager.rpc.port", String.valueOf(rpcPort));
    conf.put("jobmanager.bind-host", "127.0.0.1");
    conf.put("jobmanager.memory.process.size", "768m");
    conf.put("rest.address", "localhost");
    conf.put("rest.bind-address", "127.0.0.1");
    conf.put("rest.port", String.valueOf(restPort));
    conf.put("taskmanager.host", "localhost");
    conf.put("taskmanager.bind-host", "127.0.0.1");
    conf.put("taskmanager.numberOfTaskSlots", String.valueOf(slots));
    conf.put("taskmanager.memory.process.size", "1280m");
    // more task heap for the DoFns (Parquet writers) than the default 40% managed memory leaves
    conf.put("taskmanager.memory.managed.fraction", "0.2");
    conf.put("parallelism.default", String.valueOf(slots));
    // A Beam batch job has many blocking exchanges, and Flink 1.19 gives each sort-shuffle
    // partition
    // 512 network buffers by default: more than this small TaskManager's 10% network share holds
    // ("Insufficient number of network buffers"). See docs/flink.md for the same settings on EMR.
    conf.put("taskmanager.memory.network.fraction", "0.2");
    conf.put("taskmanager.network.sort-shuffle.min-buffers", "64");
    // a killed TaskManager is found lost by failed heartbeat calls: every two seconds, not ten
    conf.put("heartbeat.interval", "2000");
    conf.put("heartbeat.timeout", "20000");
    conf.put("io.tmp.dirs", dir.resolve("tmp").toString());
    conf.put("web.tmpdir", dir.resolve("tmp").toString());
    conf.put("blob.storage.directory", dir.resolve("tmp").toString());
    // Beam's runner registers shutdown hooks from the user class loader; Flink's leak check trips
    // on them.
    conf.put("classloader.check-leaked-classloader", "false");
    String yaml =
        conf.entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue())
            .collect(Collectors.joining("\n", "", "\n"));
    Files.writeString(confDir.resolve("flink-conf.yaml"), yaml, StandardCharsets.UTF_8);
  }

  /**
   * Runs {@code BashJavaUtils <command>} and returns its two result lines: JVM flags and dynamic
   * configs.
   */
  private List<String> resourceParams(String command) throws IOException, InterruptedException {
    Path log = dir.resolve(command.toLowerCase(java.util.Locale.ROOT) + ".out");
    Process p =
        new ProcessBuilder(
                java(),
                "-cp",
                classpath,
                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                command,
                "--configDir",
                confDir.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "BashJavaUtils " + command + " failed:\n" + Files.readString(log));
    }
    List<String> results =
        Files.readAllLines(log).stream()
            .filter(l -> l.startsWith(EXEC_PREFIX))
            .map(l -> l.substring(EXEC_PREFIX.length()).trim())
            .toList();
    if (results.size() < 2) {
      throw new IllegalStateException(
          "BashJavaUtils " + command + " printed no JVM parameters:\n" + Files.readString(log));
    }
    return results.subList(results.size() - 2, results.size());
  }

  private void startJobManager() throws IOException, InterruptedException {
    List<String> params = resourceParams("GET_JM_RESOURCE_PARAMS");
    List<String> cmd = new ArrayList<>(List.of(java()));
    cmd.addAll(split(params.get(0)));
    cmd.addAll(jvmOpens);
    cmd.addAll(
        List.of(
            "-cp",
            classpath,
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
            "--configDir",
            confDir.toString()));
    cmd.addAll(split(params.get(1)));
    launch(cmd, "jobmanager.log");
  }

  /**
   * Kills the TaskManager JVM outright (SIGKILL: no shutdown of its tasks), as a lost machine does;
   * the JobManager finds it gone by its failed heartbeats.
   */
  void killTaskManager() throws InterruptedException {
    synchronized (processes) {
      taskManager.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      processes.remove(taskManager);
    }
  }

  /** Starts a TaskManager JVM (another one after {@link #killTaskManager()}). */
  void startTaskManager() throws IOException, InterruptedException {
    List<String> params = resourceParams("GET_TM_RESOURCE_PARAMS");
    List<String> cmd = new ArrayList<>(List.of(java()));
    cmd.addAll(split(params.get(0)));
    cmd.addAll(jvmOpens);
    cmd.addAll(
        List.of(
            "-cp",
            classpath,
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
            "--configDir",
            confDir.toString()));
    cmd.addAll(split(params.get(1)));
    taskManagers++;
    taskManager =
        launch(cmd, taskManagers == 1 ? "taskmanager.log" : "taskmanager-" + taskManagers + ".log");
  }

  private static List<String> split(String s) {
    return Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
  }

  private Process launch(List<String> cmd, String logName) throws IOException {
    Files.writeString(dir.resolve(logName + ".cmd"), String.join(" ", cmd));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(logName).toFile());
    pb.environment().put("FLINK_CONF_DIR", confDir.toString());
    synchronized (processes) {
      Process p = pb.start();
      processes.add(p);
      return p;
    }
  }

  /** Waits until the JobManager's REST API reports a TaskManager with the expected free slots. */
  private void awaitSlots(int slots, Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/overview"))
            .timeout(Duration.ofSeconds(5))
            .build();
    Pattern available = Pattern.compile("\"slots-available\"\\s*:\\s*(\\d+)");
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      synchronized (processes) {
        for (Process p : processes) {
          if (!p.isAlive()) {
            throw new IllegalStateException(
                "a Flink process exited with " + p.exitValue() + "; logs:\n" + logs());
          }
        }
      }
      try {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        last = r.body();
        Matcher m = available.matcher(last);
        if (r.statusCode() == 200 && m.find() && Integer.parseInt(m.group(1)) >= slots) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "the Flink cluster did not offer "
            + slots
            + " slots in "
            + timeout
            + " (last: "
            + last
            + "); logs:\n"
            + logs());
  }

  String logs() {
    StringBuilder b = new StringBuilder();
    List<String> names = new ArrayList<>(List.of("jobmanager.log", "taskmanager.log"));
    for (int i = 2; i <= taskManagers; i++) {
      names.add("taskmanager-" + i + ".log");
    }
    for (String name : names) {
      try {
        List<String> lines = Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8);
        b.append("--- ").append(name).append(" (last 40 lines)\n");
        lines
            .subList(Math.max(0, lines.size() - 40), lines.size())
            .forEach(l -> b.append(l).append('\n'));
      } catch (IOException e) {
        b.append("--- ").append(name).append(": ").append(e.getMessage()).append('\n');
      }
    }
    return b.toString();
  }

  private void stopProcesses() {
    synchronized (processes) {
      for (Process p : processes) {
        p.destroy();
      }
      for (Process p : processes) {
        try {
          if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
      processes.clear();
    }
  }

  @Override
  public void close() {
    stopProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it stops the processes
    }
  }
}
