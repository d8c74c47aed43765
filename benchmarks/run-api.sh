#!/usr/bin/env bash
# The ledger API's p50/p99 for an org with five years of history (TopologyTestDriver stores, real HTTP handler):
#   benchmarks/run-api.sh [--days D] [--per-day K] [--orgs M] [--requests N]   (default 1825 days, 100/day, 50 orgs, 300)
# Environment: BENCH_SKIP_BUILD=1 to reuse target/benchmarks.jar.
set -euo pipefail
source "$(dirname "$0")/jar.sh"
exec java -Xmx2g -cp "$jar" dev.compliance.bench.api.LedgerApiLatency "$@"
