#!/usr/bin/env bash
# Makes a working Docker engine available, idempotently.
#
# - If `docker info` already works (Docker Desktop on a laptop, a running engine), it does nothing.
# - Otherwise, on Debian/Ubuntu as root without systemd (the CI machine), it installs Debian's
#   docker.io + docker-compose (+ debootstrap, used by ops/images/build-base-rootfs.sh), starts dockerd
#   in the background (log: /var/log/dockerd.log) and waits a bounded time for `docker info`.
#
# The client at /usr/local/bin/docker may be newer than Debian's daemon; the client negotiates the API
# version down by itself, and this script checks that it does (set DOCKER_API_VERSION to force one).
set -euo pipefail

log() { printf '[install-docker] %s\n' "$*"; }
fail() { printf '[install-docker] ERROR: %s\n' "$*" >&2; exit 1; }

DOCKERD_LOG=${DOCKERD_LOG:-/var/log/dockerd.log}
DOCKERD_WAIT_SECONDS=${DOCKERD_WAIT_SECONDS:-60}
start=$(date +%s)

have() { command -v "$1" >/dev/null 2>&1; }

docker_works() { have docker && docker info >/dev/null 2>&1; }

check_api() {
  local client server
  client=$(docker version --format '{{.Client.APIVersion}}' 2>/dev/null || echo '?')
  server=$(docker version --format '{{.Server.APIVersion}}' 2>/dev/null || echo '?')
  log "docker client API ${client}, daemon API ${server}$([ -n "${DOCKER_API_VERSION:-}" ] && echo " (DOCKER_API_VERSION=${DOCKER_API_VERSION})")"
  docker ps >/dev/null 2>&1 || fail "the docker client cannot talk to the daemon (client API ${client}, daemon API ${server}); try DOCKER_API_VERSION=${server}"
}

if docker_works; then
  log "docker engine already available: $(docker version --format '{{.Server.Version}}' 2>/dev/null)"
  check_api
  # docker-compose (v1) or the compose plugin is needed by ops/compose-test.sh; install v1 only where we can.
  if ! docker compose version >/dev/null 2>&1 && ! have docker-compose && [ "$(id -u)" = 0 ] && have apt-get; then
    log "installing docker-compose"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >/dev/null || \
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >/dev/null; }
  fi
  exit 0
fi

[ "$(uname -s)" = Linux ] || fail "docker is not running. Start Docker Desktop (or your Docker engine) and re-run."
[ "$(id -u)" = 0 ] || fail "docker is not running and installing it needs root. Start your Docker engine or re-run as root."
have apt-get || fail "docker is not running and this machine has no apt-get to install Debian's docker.io. Install and start Docker, then re-run."

pkgs=()
have dockerd || pkgs+=(docker.io)
have docker-compose || pkgs+=(docker-compose)
have debootstrap || pkgs+=(debootstrap)
if [ ${#pkgs[@]} -gt 0 ]; then
  log "apt-get install ${pkgs[*]}"
  t0=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/tmp/install-docker-apt.log 2>&1; then
    log "apt-get install failed; running apt-get update and retrying"
    apt-get update -q >>/tmp/install-docker-apt.log 2>&1 || fail "apt-get update failed (see /tmp/install-docker-apt.log)"
    apt-get install -y -q --no-install-recommends "${pkgs[@]}" >>/tmp/install-docker-apt.log 2>&1 \
      || fail "apt-get install ${pkgs[*]} failed (see /tmp/install-docker-apt.log)"
  fi
  log "packages installed in $(( $(date +%s) - t0 ))s"
fi
have dockerd || fail "dockerd not found after installing docker.io"

if ! pgrep -x dockerd >/dev/null 2>&1; then
  log "starting dockerd in the background (log: ${DOCKERD_LOG})"
  # containerd is started by dockerd itself when no system containerd is running.
  setsid nohup dockerd >>"${DOCKERD_LOG}" 2>&1 < /dev/null &
else
  log "dockerd is already running; waiting for it"
fi

deadline=$(( $(date +%s) + DOCKERD_WAIT_SECONDS ))
until docker info >/dev/null 2>&1; do
  if [ "$(date +%s)" -ge "${deadline}" ]; then
    tail -n 30 "${DOCKERD_LOG}" >&2 || true
    fail "dockerd did not answer 'docker info' within ${DOCKERD_WAIT_SECONDS}s (log: ${DOCKERD_LOG})"
  fi
  pgrep -x dockerd >/dev/null 2>&1 || { tail -n 30 "${DOCKERD_LOG}" >&2 || true; fail "dockerd exited (log: ${DOCKERD_LOG})"; }
  sleep 1
done
check_api
log "docker engine $(docker version --format '{{.Server.Version}}') ready in $(( $(date +%s) - start ))s"
