#!/usr/bin/env bash
# JMH micro-benchmarks (ns per event), short runs sized for a 2-core machine:
#   benchmarks/run-jmh.sh                 # every benchmark, -f 1 -wi 3 -i 5 -w 1s -r 1s
#   benchmarks/run-jmh.sh RulesBenchmark -prof gc     # any JMH arguments replace the defaults
# Environment: BENCH_SKIP_BUILD=1 to reuse target/benchmarks.jar.
set -euo pipefail
source "$(dirname "$0")/jar.sh"
if [[ $# -eq 0 ]]; then
  set -- -f 1 -wi 3 -i 5 -w 1s -r 1s
fi
exec java -jar "$jar" "$@"
