#!/usr/bin/env bash
# Prints (on stdout, alone) the Kafka broker image the tests should use, making sure it is present:
#  1. ${KAFKA_IMAGE} if set (it must exist locally or pull);
#  2. apache/kafka:4.3.1 if it is present or pulls within ${PULL_TIMEOUT_SECONDS:-120}s (a laptop);
#  3. otherwise the local compatible image, built when missing (the CI machine, no registry).
# Usage: mvn verify -Dkafka.image="$(ops/images/ensure-kafka-image.sh)"
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "${here}/../lib/common.sh"
log() { printf '[kafka-image] %s\n' "$*" >&2; }

try_pull() {
  log "pulling $1 (timeout ${PULL_TIMEOUT_SECONDS:-120}s)"
  with_timeout "${PULL_TIMEOUT_SECONDS:-120}" docker pull -q "$1" >/dev/null 2>&1
}

if [ -n "${KAFKA_IMAGE:-}" ]; then
  if image_exists "${KAFKA_IMAGE}" || try_pull "${KAFKA_IMAGE}"; then
    echo "${KAFKA_IMAGE}"; exit 0
  fi
  log "ERROR: KAFKA_IMAGE=${KAFKA_IMAGE} is neither present nor pullable"; exit 1
fi

if image_exists "${OFFICIAL_KAFKA_IMAGE}"; then
  log "using ${OFFICIAL_KAFKA_IMAGE} (present)"; echo "${OFFICIAL_KAFKA_IMAGE}"; exit 0
fi
if [ "${KAFKA_IMAGE_LOCAL_ONLY:-0}" != 1 ] && try_pull "${OFFICIAL_KAFKA_IMAGE}"; then
  log "using ${OFFICIAL_KAFKA_IMAGE} (pulled)"; echo "${OFFICIAL_KAFKA_IMAGE}"; exit 0
fi
log "${OFFICIAL_KAFKA_IMAGE} unavailable; using the local compatible image ${LOCAL_KAFKA_IMAGE}"
"${here}/kafka/build.sh" >&2
echo "${LOCAL_KAFKA_IMAGE}"
