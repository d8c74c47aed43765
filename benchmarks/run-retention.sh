#!/usr/bin/env bash
# The retention-expiry-buckets and daily-rollups stores after a simulated year (TopologyTestDriver):
#   benchmarks/run-retention.sh [--orgs M] [--per-day K] [--days D]     (default 100 orgs, 1000/day, 365 days)
# Environment: BENCH_SKIP_BUILD=1 to reuse target/benchmarks.jar.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 || ! -f "$jar" ]]; then
  echo "building $jar ..." >&2
  (cd "$root" && mvn -q -B -pl benchmarks -am package -DskipTests) >&2
fi
exec java -Xmx2g -cp "$jar" dev.compliance.bench.retention.RetentionYear "$@"
