# Sourced by the scripts in ops/proofs: a Docker engine, the broker image (${image}), Testcontainers' settings
# without a reachable image registry (see ops/README.md), and the removal of the containers this run leaves.
# The caller sets ${repo} (the checkout, current directory) and defines log and fail.

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
  # our test JVM has exited by now; a live one belongs to another run on this machine, whose containers
  # cannot be told apart from ours: leave them all alone then (as ops/test.sh does)
  if pgrep -f surefirebooter >/dev/null 2>&1; then
    log "another test JVM is running; leaving Testcontainers containers in place"
    return 0
  fi
  for id in $(docker ps -aq --no-trunc --filter label=org.testcontainers=true); do
    grep -qx "${id}" <<<"${before}" || docker rm -f -v "${id}" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT

