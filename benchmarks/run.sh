#!/usr/bin/env bash
# Benchmark entry point; works from any directory.
#   benchmarks/run.sh calibrate [options]   host calibration of the cost model: native rseq
#                                           routines vs the same files in `vcpusim asm`; last
#                                           line JSON (see calibrate/README.md, --help)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "${1:-}" in
  calibrate) shift; exec "$here/calibrate/calibrate.sh" "$@" ;;
  *) sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
