#!/usr/bin/env python3
"""The continuous-run benchmark (docs/benchmark.md, "Continuous runs").

A continuous job on embedded Flink watches an empty bronze folder; statistics files are dropped
into it one at a time at a fixed pace (copied beside, then renamed in, as an uploader does). For
each file: the latency from its arrival to the moment the lake's state (_manifests/latest.json)
holds it committed. Then the job is left idle and its process tree sampled: CPU (share of one
core) and resident memory over time. Finally the job is asked to stop (the marker Ctrl-C writes)
and must end by itself.

  bench/continuous.py [--files 20] [--every 15] [--idle-minutes 30] [--work DIR] [-- trendlake options]

Defaults: --watchInterval=PT10S --commitDelay=PT10S --runner=FlinkRunner --parallelism=2
--warehouse=none. The source files are one region and day each, made once by `trendlake generate
--filePerDay` (about 200 rows per file, as one API ingest of a region writes).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TICK = os.sysconf("SC_CLK_TCK")


def tree(pid):
    """The pid and all its descendants (whichever of its threads started them)."""
    parent = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    parent[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(c for c, pp in parent.items() if pp == p)
    return out


def cpu_seconds(pids):
    total = 0.0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICK
        except OSError:
            pass
    return total


def rss_mib(pids):
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def committed(lake):
    try:
        with open(os.path.join(lake, "_manifests", "latest.json")) as f:
            return {e["path"] for e in json.load(f).get("files", [])}
    except (OSError, ValueError):
        return set()


def pct(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(q * (len(s) - 1)))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--every", type=float, default=15.0)
    ap.add_argument("--idle-minutes", type=float, default=30.0)
    ap.add_argument("--sample-seconds", type=float, default=30.0)
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "continuous-bench"))
    ap.add_argument("options", nargs="*")
    a = ap.parse_args()
    tl = os.path.join(ROOT, "trendlake")
    os.makedirs(a.work, exist_ok=True)
    src = os.path.join(a.work, "generated")
    if not os.path.exists(os.path.join(src, "_expected.json")):
        subprocess.run([tl, "generate", "--rows=200000", "--output=" + src, "--filePerDay",
                        "--overwrite"], check=True, stdout=subprocess.DEVNULL)
    files = []
    for d, _, names in sorted(os.walk(os.path.join(src, "raw_statistics"))):
        files += [os.path.relpath(os.path.join(d, n), src) for n in sorted(names) if n.endswith(".csv")]
    # spread over regions and days: every k-th file
    step = max(1, len(files) // a.files)
    chosen = files[::step][: a.files]
    bronze, lake = os.path.join(a.work, "bronze"), os.path.join(a.work, "lake")
    shutil.rmtree(bronze, ignore_errors=True)
    shutil.rmtree(lake, ignore_errors=True)
    shutil.copytree(os.path.join(src, "raw_statistics_reference_data"),
                    os.path.join(bronze, "raw_statistics_reference_data"))
    opts = ["--watchInterval=PT10S", "--commitDelay=PT10S", "--runner=FlinkRunner",
            "--parallelism=2", "--warehouse=none"]
    given = {o.split("=")[0] for o in a.options}
    opts = [o for o in opts if o.split("=")[0] not in given] + a.options
    log = open(os.path.join(a.work, "job.log"), "w")
    cmd = [tl, "run", "--continuous", "--input=" + bronze, "--output=" + lake] + opts
    print("job:", " ".join(cmd), flush=True)
    job = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    # the job is up once it holds the output's lock and has committed its category snapshot
    t0 = time.time()
    while not os.path.exists(os.path.join(lake, "_manifests", "latest.json")):
        if job.poll() is not None:
            sys.exit("the job ended early; see " + log.name)
        time.sleep(0.5)
    print(f"started, first commit after {time.time() - t0:.1f} s", flush=True)

    arrived, landed = {}, {}
    next_drop = time.time()
    while len(landed) < len(chosen):
        now = time.time()
        if len(arrived) < len(chosen) and now >= next_drop:
            rel = chosen[len(arrived)]
            to = os.path.join(bronze, rel)
            os.makedirs(os.path.dirname(to), exist_ok=True)
            shutil.copyfile(os.path.join(src, rel), to + ".part")
            os.rename(to + ".part", to)
            arrived[rel] = time.time()
            next_drop += a.every
        have = committed(lake)
        for rel in arrived:
            if rel not in landed and rel in have:
                landed[rel] = time.time()
                print(f"  {rel}: committed {landed[rel] - arrived[rel]:.1f} s after arrival", flush=True)
        if job.poll() is not None:
            sys.exit("the job ended early; see " + log.name)
        time.sleep(0.2)
    lat = [landed[r] - arrived[r] for r in chosen]
    print(f"latency over {len(lat)} files: p50 {pct(lat, 0.5):.1f} s, p95 {pct(lat, 0.95):.1f} s,"
          f" max {max(lat):.1f} s, mean {statistics.mean(lat):.1f} s", flush=True)

    # idle: nothing arrives; CPU share and RSS of the job's process tree per sample window
    samples = []
    pids = tree(job.pid)
    last_cpu, last_t = cpu_seconds(pids), time.time()
    end = time.time() + a.idle_minutes * 60
    while time.time() < end:
        time.sleep(a.sample_seconds)
        pids = tree(job.pid)
        c, t = cpu_seconds(pids), time.time()
        samples.append(((c - last_cpu) / (t - last_t) * 100, rss_mib(pids)))
        last_cpu, last_t = c, t
        print(f"  idle {len(samples) * a.sample_seconds / 60:5.1f} min: cpu {samples[-1][0]:5.2f}% of a core,"
              f" rss {samples[-1][1]:7.1f} MiB", flush=True)
    if samples:
        cpus = [s[0] for s in samples]
        rss = [s[1] for s in samples]
        print(f"idle over {a.idle_minutes:.0f} min: cpu mean {statistics.mean(cpus):.2f}% max {max(cpus):.2f}%"
              f" of a core; rss first {rss[0]:.0f} MiB, last {rss[-1]:.0f} MiB, max {max(rss):.0f} MiB",
              flush=True)

    with open(os.path.join(lake, "_manifests", "_drain.json"), "w") as f:
        f.write('{"requested": "the benchmark ends"}\n')
    t = time.time()
    status = job.wait(timeout=600)
    print(f"stop requested: the job ended with status {status} after {time.time() - t:.1f} s", flush=True)


if __name__ == "__main__":
    main()
