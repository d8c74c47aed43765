#!/usr/bin/env bash
# Builds ${LOCAL_APP_IMAGE} (default compliance-local/compliance-app:dev) from the local base image and the
# shaded jar cli/target/compliance.jar (built with `mvn -q -B -DskipTests package` when missing).
# The image records the jar's SHA-256; it is rebuilt whenever the jar changes (FORCE=1 always rebuilds).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "${here}/../../lib/common.sh"
log() { printf '[app-image] %s\n' "$*"; }
fail() { printf '[app-image] ERROR: %s\n' "$*" >&2; exit 1; }

jar="${REPO_DIR}/cli/target/compliance.jar"
if [ ! -f "${jar}" ]; then
  log "building ${jar#"${REPO_DIR}/"} (mvn -q -B -DskipTests package)"
  t0=$(date +%s)
  (cd "${REPO_DIR}" && mvn_q -DskipTests package) || fail "mvn package failed"
  [ -f "${jar}" ] || fail "mvn package did not produce ${jar#"${REPO_DIR}/"}"
  log "jar built in $(( $(date +%s) - t0 ))s"
fi
sha=$(file_sha256 "${jar}")

if image_exists "${LOCAL_APP_IMAGE}" && [ "${FORCE:-0}" != 1 ] && \
   [ "$(docker image inspect --format '{{index .Config.Labels "dev.compliance.jar-sha256"}}' "${LOCAL_APP_IMAGE}")" = "${sha}" ]; then
  log "${LOCAL_APP_IMAGE} exists for this jar ($(image_size "${LOCAL_APP_IMAGE}")), skipping"
  exit 0
fi
FORCE=0 "${here}/../build-base-rootfs.sh"

start=$(date +%s)
context="${OPS_BUILD_DIR}/app-context"
rm -rf "${context}"; mkdir -p "${context}"
cp "${here}/Dockerfile" "${here}/../common/http-ok" "${here}/../common/liveness" "${context}/"
cp "${jar}" "${context}/compliance.jar"
log "docker build -t ${LOCAL_APP_IMAGE}"
docker_build app-image --build-arg "BASE_IMAGE=${BASE_IMAGE}" --build-arg "JAR_SHA256=${sha}" \
  -t "${LOCAL_APP_IMAGE}" "${context}" || fail "docker build of ${LOCAL_APP_IMAGE} failed"
rm -rf "${context}"
log "built ${LOCAL_APP_IMAGE} ($(image_size "${LOCAL_APP_IMAGE}")) in $(( $(date +%s) - start ))s"
