#!/usr/bin/env bash
# The broker-restart proof (ProofsIT's, short size: 800 records, 2 broker SIGKILLs) run N times in a row, each on
# a fresh broker, with a tally: verdict, seed, kill points and duration of every run; a stalled run says what it
# saw (lag per partition, the app's state, the stream threads' stacks from a jcmd thread dump of the app).
#
# Usage: ops/proofs/broker-restart-loop.sh [N] [extra maven arguments]     (N defaults to 20)
# Environment:
#   PROOFS_SEED=N       every run replays this seed (same traffic and kill points); default: a new seed per run
#   PROOFS_RESTARTS=K   broker restarts per run (default 2; the issue-9 report had 1)
#   PROOFS_DEBUG=1      the app's consumer coordinator / transactional producer and the broker's group and
#                       transaction coordinators log at DEBUG
#   KAFKA_IMAGE=...     the broker image (as in run-full.sh)
# The tally is printed after every run and kept in cli/target/proofs/broker-restart-loop.md; each run's app and
# broker logs (and thread dumps of a stall) in cli/target/proofs/broker-restart-loop/run-<n>/.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "${repo}"
log() { printf '[proofs] %s\n' "$*"; }
fail() { printf '[proofs] ERROR: %s\n' "$*" >&2; exit 1; }

runs=20
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then
  [[ "$1" =~ ^[1-9][0-9]*$ ]] || fail "the number of runs must be a positive whole number, got '$1'"
  runs=$1
  shift
fi

source "${repo}/ops/proofs/lib.sh"

args=(-B -ntp -pl cli -am verify -Dkafka.image="${image}" -Dproofs.loop.runs="${runs}"
      -Dproofs.loop.restarts="${PROOFS_RESTARTS:-2}"
      -Dit.test=BrokerRestartLoop -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false)
[ -n "${PROOFS_SEED:-}" ] && args+=(-Dproofs.seed="${PROOFS_SEED}")
[ "${PROOFS_DEBUG:-0}" = 1 ] && args+=(-Dproofs.debug=true)
tally=cli/target/proofs/broker-restart-loop.md
rm -f "${tally}"
started=$(date +%s)
status=0
mvn "${args[@]}" "$@" || status=$?
echo
if [ -f "${tally}" ]; then cat "${tally}"; else log "no tally written (the build or the first run did not get that far)"; fi
log "$([ ${status} -eq 0 ] && echo PASS || echo FAIL) (${runs} runs planned, $(( $(date +%s) - started )) s; tally: ${tally})"
exit ${status}
