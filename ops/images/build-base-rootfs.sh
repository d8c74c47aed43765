#!/usr/bin/env bash
# Builds the base image every local image starts from: Debian bookworm (minbase) + OpenJDK 17 JRE.
# Tag: ${BASE_IMAGE} (default compliance-local/jre17-base:bookworm). Skipped when the image exists
# (FORCE=1 rebuilds).
#
# Two ways, picked automatically:
# - debootstrap (Linux, root, no image registry reachable - the CI machine): a minbase root filesystem
#   from the machine's own Debian mirror, imported with `docker import`.
# - otherwise (a laptop with Docker Desktop): `docker build` from debian:bookworm-slim with the same
#   packages. BASE_METHOD=debootstrap|dockerfile forces one.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
log() { printf '[base-image] %s\n' "$*"; }
fail() { printf '[base-image] ERROR: %s\n' "$*" >&2; exit 1; }

SUITE=bookworm
PACKAGES="openjdk-17-jre-headless,ca-certificates,procps"

if image_exists "${BASE_IMAGE}" && [ "${FORCE:-0}" != 1 ]; then
  log "${BASE_IMAGE} exists ($(image_size "${BASE_IMAGE}")), skipping"
  exit 0
fi

method=${BASE_METHOD:-}
if [ -z "${method}" ]; then
  if [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ] && command -v debootstrap >/dev/null 2>&1; then
    method=debootstrap
  else
    method=dockerfile
  fi
fi

start=$(date +%s)
case "${method}" in
  debootstrap)
    mirror=$(debian_mirror)
    rootfs="${OPS_BUILD_DIR}/rootfs-${SUITE}"
    rm -rf "${rootfs}"; mkdir -p "${rootfs}"
    trap 'rm -rf "${rootfs}"' EXIT
    log "debootstrap --variant=minbase ${SUITE} from ${mirror} (+ ${PACKAGES}); takes about a minute"
    if ! debootstrap --variant=minbase --include="${PACKAGES}" "${SUITE}" "${rootfs}" "${mirror}" \
        >"${OPS_BUILD_DIR}/debootstrap.log" 2>&1; then
      tail -n 20 "${OPS_BUILD_DIR}/debootstrap.log" >&2
      fail "debootstrap failed (log: ${OPS_BUILD_DIR}/debootstrap.log)"
    fi
    # Same apt sources as the host so `apt-get` inside derived images can work; then slim down.
    printf 'deb %s %s main\n' "${mirror}" "${SUITE}" > "${rootfs}/etc/apt/sources.list"
    rm -rf "${rootfs}"/var/cache/apt/archives/*.deb "${rootfs}"/var/lib/apt/lists/* \
           "${rootfs}"/usr/share/doc/* "${rootfs}"/usr/share/man/* "${rootfs}"/usr/share/info/* \
           "${rootfs}"/var/log/* "${rootfs}"/tmp/* 2>/dev/null || true
    java_home=$(cd "${rootfs}" && ls -d usr/lib/jvm/java-17-openjdk-* | head -n 1)
    [ -n "${java_home}" ] || fail "no JRE in the root filesystem"
    log "importing the root filesystem as ${BASE_IMAGE}"
    tar -C "${rootfs}" --numeric-owner -cf - . | docker import \
      -c "ENV JAVA_HOME=/${java_home}" \
      -c "ENV LANG=C.UTF-8" \
      -c "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
      -c 'CMD ["/bin/bash"]' \
      -m "debootstrap minbase ${SUITE} + ${PACKAGES}" - "${BASE_IMAGE}" >/dev/null
    ;;
  dockerfile)
    log "docker build from debian:${SUITE}-slim (+ ${PACKAGES//,/ })"
    printf '%s\n' \
      "FROM debian:${SUITE}-slim" \
      "RUN apt-get update && mkdir -p /usr/share/man/man1 && apt-get install -y --no-install-recommends ${PACKAGES//,/ } && rm -rf /var/lib/apt/lists/*" \
      "ENV LANG=C.UTF-8" \
      | docker_build base-image -t "${BASE_IMAGE}" - || fail "docker build of ${BASE_IMAGE} failed"
    ;;
  *) fail "BASE_METHOD must be debootstrap or dockerfile, not '${method}'" ;;
esac

docker run --rm "${BASE_IMAGE}" java -version >/dev/null 2>&1 || fail "${BASE_IMAGE} cannot run java"
log "built ${BASE_IMAGE} ($(image_size "${BASE_IMAGE}")) by ${method} in $(( $(date +%s) - start ))s"
