#!/usr/bin/env bash
# The full proofs (cli: dev.compliance.proofs.ProofsIT with -Dproofs.size=full): 10 SIGKILLs of the app,
# 3 broker crashes, 20 poison pills of each kind, 3 registry outages, more events. The short size of the
# same suite runs in the project's test command; this one takes longer (measured 6.5-8 minutes on 2 cores).
#
# Usage: ops/proofs/run-full.sh [extra maven arguments]
# Environment:
#   PROOFS_SEED=N      replay a run (the seed is printed at the start and in the table's title)
#   PROOFS_SIZE=short  run the short size instead (same as in the test command)
#   KAFKA_IMAGE=...    the broker image (default: what ops/images/ensure-kafka-image.sh picks,
#                      apache/kafka:4.3.1 or the local compatible image)
# The table is printed at the end and written to cli/target/proofs/report-<size>.md; the app's logs
# are in cli/target/proofs/<scenario>/app-<n>.log.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "${repo}"
log() { printf '[proofs] %s\n' "$*"; }
fail() { printf '[proofs] ERROR: %s\n' "$*" >&2; exit 1; }

source "${repo}/ops/proofs/lib.sh"

size=${PROOFS_SIZE:-full}
args=(-B -ntp -pl cli -am verify -Dkafka.image="${image}" -Dproofs.size="${size}"
      -Dit.test=ProofsIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false)
[ -n "${PROOFS_SEED:-}" ] && args+=(-Dproofs.seed="${PROOFS_SEED}")
report=cli/target/proofs/report-${size}.md
rm -f "${report}"
started=$(date +%s)
status=0
mvn "${args[@]}" "$@" || status=$?
echo
if [ -f "${report}" ]; then cat "${report}"; fi
log "$([ ${status} -eq 0 ] && echo PASS || echo FAIL) (${size}, $(( $(date +%s) - started )) s; table: ${report})"
exit ${status}
