#!/usr/bin/env bash
# The retention-expiry-buckets and daily-rollups stores after a simulated year (TopologyTestDriver):
#   benchmarks/run-retention.sh [--orgs M] [--per-day K] [--days D]     (default 100 orgs, 1000/day, 365 days)
# Environment: BENCH_SKIP_BUILD=1 to reuse target/benchmarks.jar.
set -euo pipefail
source "$(dirname "$0")/jar.sh"
exec java -Xmx2g -cp "$jar" dev.compliance.bench.retention.RetentionYear "$@"
