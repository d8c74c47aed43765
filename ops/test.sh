#!/usr/bin/env bash
# The project's test command (`./compliance test` runs it; CI runs .ci/run). From a clean clone:
#   1. docker      a Docker engine (ops/install-docker.sh installs Debian's docker.io where none runs)
#   2. images      the Kafka broker image for Testcontainers (apache/kafka:4.3.1, or the local compatible
#                  one where nothing pulls) and the Apicurio registry image
#   3. verify      mvn -B -ntp verify -Dkafka.image=IMAGE: unit tests and the *IT integration tests
#   4. compose     the app image from the jar just built, then ops/compose-test.sh (the docker-compose stack
#                  produces violations)
#   5. cleanup     containers Testcontainers left behind (ryuk is disabled)
# Stops at the first failing step with a message naming it. Environment:
#   SKIP_COMPOSE=1   skip step 4;  MVN_ARGS="..." extra arguments for step 3 (e.g. "-pl streams-app -am").
# Arguments are passed to Maven as well: ops/test.sh -pl streams-app -am
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "${REPO_DIR}"

# Testcontainers on a machine without an image registry (see ENVIRONMENT notes in ops/README.md):
export TESTCONTAINERS_RYUK_DISABLED=true       # the ryuk image cannot be pulled
export TESTCONTAINERS_HOST_OVERRIDE=localhost  # otherwise it runs an alpine container to find the gateway
export TESTCONTAINERS_CHECKS_DISABLE=true

run_started=$(date +%s)
timings=()
current_step=""

summary() {
  local code=$?
  cleanup_testcontainers
  echo
  echo "[test] timings:"
  if [ ${#timings[@]} -gt 0 ]; then for t in "${timings[@]}"; do echo "  ${t}"; done; fi
  echo "  total: $(( $(date +%s) - run_started ))s"
  if [ "${code}" -eq 0 ]; then
    echo "[test] PASS"
  else
    echo "[test] FAIL at step '${current_step}' (exit code ${code})"
  fi
  exit "${code}"
}

# Containers Testcontainers leaves behind when a test JVM dies (ryuk is off): those labelled
# org.testcontainers=true that did not exist when this run started (TESTCONTAINERS_CLEANUP_ALL=1: all of them),
# unless another test run is going on at the same time on this machine.
testcontainers_ids() { docker ps -aq --no-trunc --filter label=org.testcontainers=true 2>/dev/null || true; }
preexisting_testcontainers=""
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then preexisting_testcontainers=$(testcontainers_ids); fi
cleanup_testcontainers() {
  command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 || return 0
  local ids=() id
  for id in $(testcontainers_ids); do
    if [ "${TESTCONTAINERS_CLEANUP_ALL:-0}" = 1 ] || ! grep -qx "${id}" <<<"${preexisting_testcontainers}"; then ids+=("${id}"); fi
  done
  [ ${#ids[@]} -gt 0 ] || return 0
  # Our test JVMs have exited by now; a live one belongs to another run on this machine, whose containers
  # cannot be told apart from ours: leave them all alone then.
  if pgrep -f surefirebooter >/dev/null 2>&1; then
    echo "[test] another test JVM is running on this machine; leaving ${#ids[@]} Testcontainers container(s) in place"
    return 0
  fi
  if [ ${#ids[@]} -gt 0 ]; then
    echo "[test] removing ${#ids[@]} container(s) left by Testcontainers"
    docker rm -f -v "${ids[@]}" >/dev/null || true
  fi
}

step() {  # step NAME COMMAND...
  current_step=$1; shift
  echo
  echo "[test] ===== ${current_step}"
  local t0; t0=$(date +%s)
  "$@"
  timings+=("${current_step}: $(( $(date +%s) - t0 ))s")
}

trap summary EXIT

step docker "${OPS_DIR}/install-docker.sh"
step chromium "${OPS_DIR}/install-chromium.sh"   # the console's browser test (LedgerApiIT)

kafka_image=""
images() {
  kafka_image=$("${OPS_DIR}/images/ensure-kafka-image.sh")
  "${OPS_DIR}/images/build-all.sh" registry
  echo "[test] Kafka image for the integration tests: ${kafka_image}"
}
step images images

mvn_extra_args=("$@")
verify() {
  # shellcheck disable=SC2086 # MVN_ARGS holds several words
  mvn -B -ntp verify -Dkafka.image="${kafka_image}" -Dschema.registry.image="${LOCAL_REGISTRY_IMAGE}" ${MVN_ARGS:-} \
    ${mvn_extra_args[@]+"${mvn_extra_args[@]}"}
}
step verify verify

if [ "${SKIP_COMPOSE:-0}" != 1 ]; then
  compose_check() {
    "${OPS_DIR}/images/app/build.sh"
    KAFKA_IMAGE="${kafka_image}" "${OPS_DIR}/compose-test.sh"
  }
  step compose compose_check
fi

step cleanup cleanup_testcontainers
