#!/usr/bin/env bash
# Where the time went in a JFR recording, by pipeline stage (see dev.compliance.bench.profile.JfrSummary):
#   benchmarks/run-e2e.sh --jfr /tmp/pipeline.jfr && benchmarks/profile-summary.sh /tmp/pipeline.jfr [THREAD-NAME-PART]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec java -cp "$here/target/benchmarks.jar" dev.compliance.bench.profile.JfrSummary "$@"
