#!/usr/bin/env bash
# Builds ${LOCAL_REGISTRY_IMAGE} (default compliance-local/schema-registry:2.6.13): Apicurio Registry's
# distribution from Maven Central (io.apicurio:apicurio-registry-app:2.6.13.Final, tar.gz, classifier all)
# on the local base image. Skipped when the image exists (FORCE=1 rebuilds).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "${here}/../../lib/common.sh"
log() { printf '[registry-image] %s\n' "$*"; }
fail() { printf '[registry-image] ERROR: %s\n' "$*" >&2; exit 1; }

APICURIO_VERSION=${APICURIO_VERSION:-2.6.13.Final}

if image_exists "${LOCAL_REGISTRY_IMAGE}" && [ "${FORCE:-0}" != 1 ]; then
  log "${LOCAL_REGISTRY_IMAGE} exists ($(image_size "${LOCAL_REGISTRY_IMAGE}")), skipping"
  exit 0
fi
FORCE=0 "${here}/../build-base-rootfs.sh"

start=$(date +%s)
context="${OPS_BUILD_DIR}/registry-context"
rm -rf "${context}"; mkdir -p "${context}"
log "fetching io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all from Maven Central (~142 MB)"
mvn_q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
  -Dartifact="io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all" \
  -DoutputDirectory="${context}" -Dmdep.stripVersion=true -Dmdep.stripClassifier=false \
  || fail "could not fetch the Apicurio Registry distribution with Maven"
[ -f "${context}/apicurio-registry-app-all.tar.gz" ] || fail "the distribution was not fetched as ${context}/apicurio-registry-app-all.tar.gz"
cp "${here}/Dockerfile" "${here}/../common/http-ok" "${context}/"

log "docker build -t ${LOCAL_REGISTRY_IMAGE}"
docker_build registry-image --build-arg "BASE_IMAGE=${BASE_IMAGE}" --build-arg "APICURIO_VERSION=${APICURIO_VERSION}" \
  -t "${LOCAL_REGISTRY_IMAGE}" "${context}" || fail "docker build of ${LOCAL_REGISTRY_IMAGE} failed"
rm -rf "${context}"
log "built ${LOCAL_REGISTRY_IMAGE} ($(image_size "${LOCAL_REGISTRY_IMAGE}")) in $(( $(date +%s) - start ))s"
