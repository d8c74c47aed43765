#!/usr/bin/env bash
# End-to-end throughput and latency of the pipeline against a real broker and a real schema registry,
# side by side with two exactly-once baselines: a plain copy of the same records, and an output-matched copy
# (per input record, the pipeline's own count and sizes of records to the same topics). Prints progress, then
# the throughput ratios, the latency curve (10/25/50/75 % of the pipeline's throughput), memory and the state
# stores' bytes per org-day.
#   benchmarks/run-e2e.sh [--events N | --quick] [--threads T] [--broker auto|docker|embedded]
#                         [--bootstrap-servers HOST:PORT] [--registry-url URL] [--jfr FILE] ...  (--help)
# Environment: BENCH_JAVA_OPTS (default -Xms2g -Xmx2g), BENCH_SKIP_BUILD=1 to reuse target/benchmarks.jar.
set -euo pipefail
source "$(dirname "$0")/jar.sh"
# Testcontainers without ryuk and without the gateway probe (see shared ENVIRONMENT notes)
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost TESTCONTAINERS_CHECKS_DISABLE=true
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xms2g -Xmx2g} -cp "$jar" dev.compliance.bench.e2e.EndToEnd "$@"
