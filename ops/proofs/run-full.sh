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

# Testcontainers without a reachable image registry (see ops/README.md)
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost TESTCONTAINERS_CHECKS_DISABLE=true

if ! docker info >/dev/null 2>&1; then
  [ -x ops/install-docker.sh ] || fail "no Docker engine answers (docker info); start one and try again"
  ops/install-docker.sh
fi

if [ -n "${KAFKA_IMAGE:-}" ]; then
  image=${KAFKA_IMAGE}
elif [ -x ops/images/ensure-kafka-image.sh ]; then
  image=$(ops/images/ensure-kafka-image.sh)
else
  image=apache/kafka:4.3.1
fi
docker image inspect "${image}" >/dev/null 2>&1 || docker pull -q "${image}" >/dev/null \
  || fail "broker image ${image} is neither present nor pullable (set KAFKA_IMAGE, or build one with ops/images)"
log "broker image ${image}"

# containers that Testcontainers leaves behind if the test JVM dies (ryuk is off): remove ours at the end
before=$(docker ps -aq --no-trunc --filter label=org.testcontainers=true)
cleanup() {
  local id
  for id in $(docker ps -aq --no-trunc --filter label=org.testcontainers=true); do
    grep -qx "${id}" <<<"${before}" || docker rm -f -v "${id}" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT

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
