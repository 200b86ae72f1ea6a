#!/usr/bin/env bash
# Runs the vcpusim JMH benchmarks from the shaded jar benchmarks/target/benchmarks.jar, building it
# first when it is missing or older than a source or pom it is made of. Works from any directory.
#
#   benchmarks/run.sh engine [JMH options]
#       Event-engine hold model (EngineHoldBenchmark): 5 forks x (3 x 1 s warm-up, 5 x 1 s
#       measurement) per implementation and pending-set size. Writes the JMH JSON result to
#       benchmarks/results/engine.json, prints a table, and prints as its last line one JSON object:
#       {"events_per_second_1k": .., "ssj_events_per_second_1k": ..,
#        "priority_queue_events_per_second_1k": .., "events_per_second_100k": ..}
#       where events_per_second_* is vcpusim's Simulation run loop (pop, dispatch, reschedule).
#       JMH options given after "engine" replace the default run shape (forks, iterations, times),
#       e.g. "-f 1 -wi 1 -i 2" for a quick look; the summary needs the 1000 and 100000 sizes.
#
#   benchmarks/run.sh interpreter [JMH options]
#       Simulated-CPU speed (InterpreterBenchmark): one Core running a TCMalloc-style slab Pop+Push
#       loop (rseq cpu_id and GS-mode variants), with the zen5 DataflowTimingModel over a
#       MemorySystem ("timed") and functional only ("functional"); 5 forks x (5 x 1 s warm-up,
#       5 x 1 s measurement). Writes the JMH JSON result to benchmarks/results/interpreter.json,
#       prints a table, and prints as its last line one JSON object:
#       {"mips": .., "mips_functional": .., "mips_cpu_id": .., "mips_gs": ..,
#        "mips_functional_cpu_id": .., "mips_functional_gs": ..}
#       in millions of simulated instructions per second on one host thread; "mips" and
#       "mips_functional" are the slower of the two variants. JMH options given after
#       "interpreter" replace the default run shape, e.g. "-f 1 -wi 2 -i 3" for a quick look.
#
#   benchmarks/run.sh cid-sweep [options]
#       Issue 5's allocator sweep (CidAllocatorSweep, not JMH): a 64-thread per-vCPU %gs: counter in
#       the GS mode on 8 CPUs for 1 simulated second under each cid allocator, every default checker
#       on; prints a table (max cid, cid changes/s, lock wait or compaction work, GS writes/s and
#       their cycles under WRGSBASE and WRMSR, aborts, findings, counter check, host time, MIPS) and
#       writes benchmarks/target/cid-sweep.json. Options: --seconds, --seed, --cpus, --threads,
#       --profile, --fsgsbase on|off, --allocators a,b, --out. Exit 1 on a finding or a bad sum.
#
#   benchmarks/run.sh calibrate [options]
#       Host calibration of the cost model: native rseq routines vs the same files in
#       `vcpusim asm`; last line JSON (see calibrate/README.md, --help).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"
results="$here/results"

usage() {
  cat >&2 <<'EOF'
usage: benchmarks/run.sh COMMAND [JMH options]
commands:
  engine    event-engine hold model; writes benchmarks/results/engine.json and prints a JSON
            summary as the last line
  interpreter
            simulated instructions per second (cost model and caches on, and functional only);
            writes benchmarks/results/interpreter.json and prints {"mips": ..} as the last line
  cid-sweep allocator sweep (1 simulated s per cid allocator, GS mode, all checkers); prints a
            table and writes benchmarks/target/cid-sweep.json
  calibrate native rseq routines vs `vcpusim asm` on the same files; JSON summary last
EOF
}

jar_is_stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root/pom.xml" "$root"/sim-core "$root"/sim-cpu "$root"/sim-kernel \
      "$root"/scenarios "$root"/benchmarks \
      \( -path '*/target' -prune \) -o \( -type f \( -path '*/src/main/*' -o -name pom.xml \) \
      -newer "$jar" -print -quit \) 2>/dev/null)" ]
}

build_jar() {
  if jar_is_stale; then
    echo "run.sh: building $jar (mvn package, tests skipped)..." >&2
    (cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests) >&2
  fi
}

engine() {
  build_jar
  mkdir -p "$results"
  local out="$results/engine.json"
  local shape=(-f 5 -wi 3 -w 1s -i 5 -r 1s)
  if [ $# -gt 0 ]; then
    shape=("$@")
  fi
  java -jar "$jar" '^org\.vcpusim\.benchmarks\.EngineHoldBenchmark\.' \
    "${shape[@]}" -bm thrpt -tu s -rf json -rff "$out"
  python3 - "$out" <<'EOF'
import json
import sys

with open(sys.argv[1], encoding="utf-8") as f:
    runs = json.load(f)

scores = {}
for run in runs:
    method = run["benchmark"].rsplit(".", 1)[1]
    pending = run["params"]["pending"]
    metric = run["primaryMetric"]
    scores[(method, pending)] = (float(metric["score"]), float(metric["scoreError"]))

methods = sorted({m for m, _ in scores})
sizes = sorted({p for _, p in scores}, key=int)
print()
print("events/s (JMH thrpt, mean +- 99.9% CI)")
print("%-15s" % "pending" + "".join("%26s" % m for m in methods))
for size in sizes:
    cells = []
    for m in methods:
        if (m, size) in scores:
            score, error = scores[(m, size)]
            cells.append("%26s" % ("%.3e +- %.1e" % (score, error)))
        else:
            cells.append("%26s" % "-")
    print("%-15s" % size + "".join(cells))

def score(method, pending):
    try:
        return int(round(scores[(method, pending)][0]))
    except KeyError:
        sys.exit("run.sh: no result for %s with pending=%s in %s" % (method, pending, sys.argv[1]))

summary = {
    "events_per_second_1k": score("simulation", "1000"),
    "ssj_events_per_second_1k": score("ssj", "1000"),
    "priority_queue_events_per_second_1k": score("priorityQueue", "1000"),
    "events_per_second_100k": score("simulation", "100000"),
}
print(json.dumps(summary))
EOF
}

interpreter() {
  build_jar
  mkdir -p "$results"
  local out="$results/interpreter.json"
  local shape=(-f 5 -wi 5 -w 1s -i 5 -r 1s)
  if [ $# -gt 0 ]; then
    shape=("$@")
  fi
  java -jar "$jar" '^org\.vcpusim\.benchmarks\.InterpreterBenchmark\.' \
    "${shape[@]}" -bm thrpt -tu s -rf json -rff "$out"
  python3 - "$out" <<'EOF'
import json
import sys

with open(sys.argv[1], encoding="utf-8") as f:
    runs = json.load(f)

scores = {}
for run in runs:
    method = run["benchmark"].rsplit(".", 1)[1]
    key = (method, run["params"]["profile"], run["params"]["variant"])
    metric = run["primaryMetric"]
    scores[key] = (float(metric["score"]) / 1e6, float(metric["scoreError"]) / 1e6)

print()
print("simulated MIPS on one host thread (JMH thrpt, mean +- 99.9% CI)")
print("%-12s %-8s %-8s %20s" % ("benchmark", "profile", "variant", "MIPS"))
for (method, profile, variant), (score, error) in sorted(scores.items()):
    print("%-12s %-8s %-8s %20s" % (method, profile, variant, "%.1f +- %.1f" % (score, error)))

def mips(method, variant):
    found = [s for (m, _, v), (s, _) in scores.items() if m == method and v == variant]
    if not found:
        sys.exit("run.sh: no result for %s variant=%s in %s" % (method, variant, sys.argv[1]))
    return round(min(found), 1)

summary = {
    "mips": min(mips("timed", "cpu_id"), mips("timed", "gs")),
    "mips_functional": min(mips("functional", "cpu_id"), mips("functional", "gs")),
    "mips_cpu_id": mips("timed", "cpu_id"),
    "mips_gs": mips("timed", "gs"),
    "mips_functional_cpu_id": mips("functional", "cpu_id"),
    "mips_functional_gs": mips("functional", "gs"),
}
print(json.dumps(summary))
EOF
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
  engine)
    engine "$@"
    ;;
  interpreter)
    interpreter "$@"
    ;;
  cid-sweep)
    build_jar
    cd "$root"
    exec java -cp "$jar" org.vcpusim.benchmarks.CidAllocatorSweep "$@"
    ;;
  calibrate)
    exec "$here/calibrate/calibrate.sh" "$@"
    ;;
  *)
    usage
    exit 2
    ;;
esac
