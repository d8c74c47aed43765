#!/usr/bin/env bash
# Builds ${LOCAL_KAFKA_IMAGE} (default compliance-local/kafka:4.3.1), an apache/kafka-compatible broker
# image, from the local base image and Kafka's jars on Maven Central. Skipped when the image exists
# (FORCE=1 rebuilds).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "${here}/../../lib/common.sh"
log() { printf '[kafka-image] %s\n' "$*"; }
fail() { printf '[kafka-image] ERROR: %s\n' "$*" >&2; exit 1; }

if image_exists "${LOCAL_KAFKA_IMAGE}" && [ "${FORCE:-0}" != 1 ]; then
  log "${LOCAL_KAFKA_IMAGE} exists ($(image_size "${LOCAL_KAFKA_IMAGE}")), skipping"
  exit 0
fi
"${here}/../build-base-rootfs.sh"

start=$(date +%s)
context="${OPS_BUILD_DIR}/kafka-context"
rm -rf "${context}"; mkdir -p "${context}/libs"
log "fetching the broker jars from Maven Central (${here}/pom.xml)"
mvn_q -f "${here}/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="${context}/libs" || fail "could not fetch the broker jars with Maven"
cp -R "${here}/Dockerfile" "${here}/rootfs" "${context}/"

log "docker build -t ${LOCAL_KAFKA_IMAGE} ($(ls "${context}/libs" | wc -l) jars)"
docker_build kafka-image --build-arg "BASE_IMAGE=${BASE_IMAGE}" -t "${LOCAL_KAFKA_IMAGE}" "${context}" \
  || fail "docker build of ${LOCAL_KAFKA_IMAGE} failed"
rm -rf "${context}"
log "built ${LOCAL_KAFKA_IMAGE} ($(image_size "${LOCAL_KAFKA_IMAGE}")) in $(( $(date +%s) - start ))s"
