package dev.trendlake.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Polls a child's {@code /proc/<pid>} for its peak RSS and CPU time until stopped. */
final class ProcWatch implements Runnable {
  private final long pid;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peakKib;
  private volatile double cpu;

  private ProcWatch(long pid) {
    this.pid = pid;
    this.thread = new Thread(this, "bench-procwatch-" + pid);
    this.thread.setDaemon(true);
  }

  static ProcWatch start(long pid) {
    ProcWatch w = new ProcWatch(pid);
    w.thread.start();
    return w;
  }

  @Override
  public void run() {
    while (running) {
      poll();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void poll() {
    try {
      for (String l :
          Files.readAllLines(
              new File("/proc/" + pid + "/status").toPath(), StandardCharsets.UTF_8)) {
        if (l.startsWith("VmHWM:")) {
          peakKib = Math.max(peakKib, Long.parseLong(l.replaceAll("[^0-9]", "")));
        }
      }
      String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command; clock ticks of
      // 1/100 s
      cpu = Math.max(cpu, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0);
    } catch (IOException | RuntimeException e) {
      // the process has ended: keep the last figures
    }
  }

  void stop() {
    running = false;
    thread.interrupt();
  }

  long peakRssKib() {
    return peakKib;
  }

  double cpuSeconds() {
    return cpu;
  }
}
