#!/usr/bin/env bash
# Host calibration of vcpusim's cost model: builds and runs the native harness (native/), which
# times the routines in routines/ on this CPU with the kernel's real rseq, then runs the SAME
# routine files in `vcpusim asm`, and prints as its LAST line one JSON object:
#   {"host": {"cpu", "core_ghz", ...}, "profile": P|null,
#    "routines": {NAME: {"native_cycles", "native_cycles_p10", "native_cycles_p90",
#                        "native_cycles_without_loop", "simulated_cycles", "ratio",
#                        and for the Pop+Push routines "pairs_per_call",
#                        "native_cycles_per_pair", "simulated_cycles_per_pair"}, ...}}
# native_cycles = median core cycles per call INCLUDING the call/ret loop (what the simulator's
# cycles_per_iteration covers); ratio = simulated_cycles / native_cycles. simulated_cycles and
# ratio are null (with a note on stderr) when `vcpusim asm` fails or is not built yet.
#
# Usage: calibrate.sh [--profile P] [--rounds N] [--calls N] [--iterations N] [--stress-seconds S]
#   --profile P         vcpusim CPU profile (default: zen5 on AMD family 26, else the simulator's)
#   --rounds N          native measurement rounds (default 400; rounds with a context switch
#                       are dropped)
#   --calls N           native calls per routine per round (default 20000)
#   --iterations N      simulated calls (default 10000)
#   --stress-seconds S  native rseq abort check per routine (default 1; 0 skips it)
# Environment: VCPUSIM (launcher, default <repo>/vcpusim), CALIBRATE_BUILD_DIR (native build
# directory, default benchmarks/calibrate/native/build). Works from any directory.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$here/../.." && pwd)"
vcpusim="${VCPUSIM:-$ROOT/vcpusim}"
build="${CALIBRATE_BUILD_DIR:-$here/native/build}"

profile="" rounds=400 calls=20000 iterations=10000 stress=1
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --calls) calls="$2"; shift 2 ;;
    --iterations) iterations="$2"; shift 2 ;;
    --stress-seconds) stress="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "calibrate.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

# routine name -> entry label; gs_pop_push also needs the GS base set to its slab region.
# The *_rot_* and *_dep_* routines do 8 Pop+Push pairs per call (one per size class 1..8).
routines=(empty percpu_counter slab_pop_push gs_pop_push slab_rot_pop_push gs_rot_pop_push
          slab_dep_pop_push gs_dep_pop_push alu_block)
declare -A entry=([empty]=calib_empty [percpu_counter]=percpu_counter
                  [slab_pop_push]=slab_pop_push [gs_pop_push]=gs_pop_push
                  [slab_rot_pop_push]=slab_rot_pop_push [gs_rot_pop_push]=gs_rot_pop_push
                  [slab_dep_pop_push]=slab_dep_pop_push [gs_dep_pop_push]=gs_dep_pop_push
                  [alu_block]=alu_block)
declare -A gs_base=([gs_pop_push]=gs_slab_region [gs_rot_pop_push]=gr_slab_region
                    [gs_dep_pop_push]=gd_slab_region)
# Pop+Push pairs per call, for the per-pair figures of the summary (1 when absent).
pairs="slab_pop_push=1,gs_pop_push=1,slab_rot_pop_push=8,gs_rot_pop_push=8,slab_dep_pop_push=8,gs_dep_pop_push=8"

# ---- native
echo "calibrate: building the native harness in $build" >&2
make -s -C "$here/native" OUT="$build" >&2
native_json="$(mktemp)"
sim_dir="$(mktemp -d)"
trap 'rm -rf "$native_json" "$sim_dir"' EXIT
echo "calibrate: native run ($rounds rounds x $calls calls per routine)" >&2
if ! "$build/calibrate" --rounds "$rounds" --calls "$calls" --stress-seconds "$stress" \
    >"$native_json"; then
  cat "$native_json" >&2
  echo "calibrate: the native harness failed a check; no calibration" >&2
  exit 1
fi
cat "$native_json" >&2

if [ -z "$profile" ]; then
  family="$(awk -F: '/^cpu family/ {gsub(/ /, "", $2); print $2; exit}' /proc/cpuinfo)"
  vendor="$(awk -F: '/^vendor_id/ {gsub(/ /, "", $2); print $2; exit}' /proc/cpuinfo)"
  if [ "$vendor" = "AuthenticAMD" ] && [ "$family" = "26" ]; then
    profile="zen5"
  else
    echo "calibrate: no vcpusim profile known for $vendor family $family; using the simulator's default (pass --profile)" >&2
  fi
fi

# ---- simulated
for r in "${routines[@]}"; do
  args=(asm "$here/routines/$r.s" --entry "${entry[$r]}" --iterations "$iterations" --json)
  if [ -n "${gs_base[$r]:-}" ]; then args+=(--gs-base "${gs_base[$r]}"); fi
  if [ -n "$profile" ]; then args+=(--profile "$profile"); fi
  if "$vcpusim" "${args[@]}" >"$sim_dir/$r.json" 2>"$sim_dir/$r.err"; then
    :
  else
    rc=$?
    echo "calibrate: 'vcpusim ${args[*]}' failed (exit $rc); simulated_cycles for $r is null:" >&2
    tail -n 5 "$sim_dir/$r.err" >&2
    rm -f "$sim_dir/$r.json"
  fi
done

# ---- the summary line (last line of stdout)
python3 - "$native_json" "$sim_dir" "$profile" "$pairs" "${routines[@]}" <<'PY'
import json, os, sys

native_path, sim_dir, profile, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[5:]
pairs = dict((k, int(v)) for k, v in (kv.split("=") for kv in sys.argv[4].split(",")))
host, native = {}, {}
with open(native_path) as f:
    for line in f:
        obj = json.loads(line)
        if "host" in obj:
            host = obj["host"]
        elif "routine" in obj:
            native[obj["routine"]] = obj


def simulated(name):
    """cycles_per_iteration from the last JSON object vcpusim printed, or None."""
    path = os.path.join(sim_dir, name + ".json")
    if not os.path.exists(path):
        return None
    text = open(path).read()
    decoder, objects, i = json.JSONDecoder(), [], 0
    while i < len(text):
        j = text.find("{", i)
        if j < 0:
            break
        try:
            obj, end = decoder.raw_decode(text, j)
            objects.append(obj)
            i = end
        except ValueError:
            i = j + 1
    for obj in reversed(objects):
        if isinstance(obj, dict) and isinstance(obj.get("cycles_per_iteration"), (int, float)):
            return float(obj["cycles_per_iteration"])
    sys.stderr.write("calibrate: no cycles_per_iteration in vcpusim output for %s\n" % name)
    return None


out = {
    "host": {
        "cpu": "%s (family %s, model %s)" % (host.get("cpu"), host.get("family"), host.get("model")),
        "core_ghz": host.get("core_ghz"),
        "tsc_ghz": host.get("tsc_ghz"),
        "fsgsbase": host.get("fsgsbase"),
        "gs_base_method": host.get("gs_base_method"),
        "glibc": host.get("glibc"),
        "rseq_owner": host.get("rseq_owner"),
        "perf_cycles": host.get("perf_cycles"),
        "imul_latency_cycles": host.get("imul_latency_cycles"),
    },
    "profile": profile or None,
    "routines": {},
}
for name in names:
    n = native[name]
    sim = simulated(name)
    cyc = n["cycles"]["median"]
    out["routines"][name] = {
        "native_cycles": cyc,
        "native_cycles_p10": n["cycles"]["p10"],
        "native_cycles_p90": n["cycles"]["p90"],
        "native_cycles_without_loop": n["cycles_without_loop"]["median"],
        "simulated_cycles": sim,
        "ratio": round(sim / cyc, 3) if sim is not None and cyc > 0 else None,
    }
    if name in pairs:
        k = pairs[name]
        out["routines"][name]["pairs_per_call"] = k
        out["routines"][name]["native_cycles_per_pair"] = round(cyc / k, 3)
        out["routines"][name]["simulated_cycles_per_pair"] = (
            round(sim / k, 3) if sim is not None else None)
print(json.dumps(out))
PY
