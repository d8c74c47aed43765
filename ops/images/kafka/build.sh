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
FORCE=0 "${here}/../build-base-rootfs.sh"

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

# Smoke test: the default single-node configuration reaches RUNNING and the CLI tools answer.
if [ "${SMOKE_TEST:-1}" = 1 ]; then
  name="kafka-image-smoke-$$"
  docker run -d --name "${name}" "${LOCAL_KAFKA_IMAGE}" >/dev/null || fail "could not start ${LOCAL_KAFKA_IMAGE}"
  trap 'docker rm -f "${name}" >/dev/null 2>&1 || true' EXIT
  t0=$(date +%s)
  until docker logs "${name}" 2>&1 | grep -q 'Transitioning from RECOVERY to RUNNING'; do
    [ "$(docker inspect -f '{{.State.Running}}' "${name}")" = true ] || { docker logs "${name}" 2>&1 | tail -n 30 >&2; fail "the broker exited"; }
    [ $(( $(date +%s) - t0 )) -lt 90 ] || { docker logs "${name}" 2>&1 | tail -n 30 >&2; fail "the broker was not RUNNING within 90s"; }
    sleep 1
  done
  ready=$(( $(date +%s) - t0 ))
  docker exec "${name}" kafka-topics.sh --bootstrap-server localhost:9092 --create --topic smoke --partitions 1 >/dev/null \
    || fail "kafka-topics.sh could not create a topic"
  log "smoke test passed: broker RUNNING ${ready}s after start, kafka-topics.sh works"
fi
log "built ${LOCAL_KAFKA_IMAGE} ($(image_size "${LOCAL_KAFKA_IMAGE}")) in $(( $(date +%s) - start ))s"
