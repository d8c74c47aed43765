#!/usr/bin/env bash
# End-to-end check of docker-compose.yml: brings the whole stack up (broker, Apicurio registry, topic
# streams app, generator) under its own project name and host ports, waits for the streams app
# to report healthy, checks that violations arrive on compliance.violations, and always takes the stack
# down again. Prints PASS or FAIL.
#
# COMPLIANCE_PSEUDONYM_SECRET: a random one per run unless set.
# Images: the broker from ops/images/ensure-kafka-image.sh (KAFKA_IMAGE overrides), the local Apicurio
# image (SCHEMA_REGISTRY_IMAGE + SCHEMA_REGISTRY_URL_PATH override), the app image from cli/target/compliance.jar.
# Bounds: COMPOSE_TEST_TIMEOUT_SECONDS (default 240) for the stack to be healthy,
#         VIOLATIONS_TIMEOUT_SECONDS (default 90) for the first violation.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
log() { printf '[compose-test] %s\n' "$*"; }

project=${COMPOSE_TEST_PROJECT:-compliance-test}
started=$(date +%s)
mkdir -p "${OPS_BUILD_DIR}"
result=FAIL

if docker compose version >/dev/null 2>&1; then
  compose_cmd=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose_cmd=(docker-compose)
else
  echo "[compose-test] FAIL: neither 'docker compose' nor 'docker-compose' is installed (ops/install-docker.sh installs docker-compose)" >&2
  exit 1
fi
compose() { "${compose_cmd[@]}" -p "${project}" -f "${REPO_DIR}/docker-compose.yml" "$@"; }

fail() {
  printf '[compose-test] %s\n' "$*" >&2
  exit 1
}

finish() {
  local code=$?
  if [ "${result}" != PASS ]; then
    log "service logs (last 40 lines each):"
    for service in kafka schema-registry streams generator; do
      echo "----- ${service}"
      compose logs --no-color --tail=40 "${service}" 2>/dev/null || true
    done
  fi
  log "taking the stack down"
  compose down -v --remove-orphans -t 10 >/dev/null 2>&1 || true
  if [ "${result}" = PASS ]; then
    echo "[compose-test] PASS ($(( $(date +%s) - started ))s)"
  else
    echo "[compose-test] FAIL ($(( $(date +%s) - started ))s)"
    [ "${code}" -ne 0 ] || code=1
  fi
  exit "${code}"
}

# --- images
KAFKA_IMAGE=$("${OPS_DIR}/images/ensure-kafka-image.sh") || fail "no Kafka image"
if [ -z "${SCHEMA_REGISTRY_IMAGE:-}" ]; then
  "${OPS_DIR}/images/registry/build.sh" || fail "could not build the registry image"
  SCHEMA_REGISTRY_IMAGE=${LOCAL_REGISTRY_IMAGE}
  SCHEMA_REGISTRY_URL_PATH=${SCHEMA_REGISTRY_URL_PATH-/apis/ccompat/v7}
fi
if [ -z "${APP_IMAGE:-}" ]; then
  "${OPS_DIR}/images/app/build.sh" || fail "could not build the app image"
  APP_IMAGE=${LOCAL_APP_IMAGE}
fi
export KAFKA_IMAGE SCHEMA_REGISTRY_IMAGE APP_IMAGE SCHEMA_REGISTRY_URL_PATH="${SCHEMA_REGISTRY_URL_PATH:-}"
export COMPLIANCE_PSEUDONYM_SECRET=${COMPLIANCE_PSEUDONYM_SECRET:-compose-test-$(date +%s)-${RANDOM}${RANDOM}}
# Host ports apart from a developer's own stack.
export KAFKA_HOST_PORT=${KAFKA_HOST_PORT:-39092}
export SCHEMA_REGISTRY_HOST_PORT=${SCHEMA_REGISTRY_HOST_PORT:-38081}
export STREAMS_HEALTH_HOST_PORT=${STREAMS_HEALTH_HOST_PORT:-38082}
log "images: kafka=${KAFKA_IMAGE} registry=${SCHEMA_REGISTRY_IMAGE}${SCHEMA_REGISTRY_URL_PATH:+ (path ${SCHEMA_REGISTRY_URL_PATH})} app=${APP_IMAGE}"

trap finish EXIT
compose down -v --remove-orphans -t 5 >/dev/null 2>&1 || true   # leftovers of an interrupted run

# --- up
log "${compose_cmd[*]} up -d (project ${project}; waits for the health checks of kafka, registry, streams)"
compose up -d >"${OPS_BUILD_DIR}/compose-up.log" 2>&1 || { cat "${OPS_BUILD_DIR}/compose-up.log" >&2; fail "compose up failed"; }

container_of() { compose ps -q "$1" 2>/dev/null | head -n 1; }
state_of() {  # running|exited|... plus health when defined, e.g. "running healthy"
  local id; id=$(container_of "$1")
  [ -n "${id}" ] || { echo missing; return; }
  docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}} {{.State.ExitCode}}' "${id}"
}
restarts_of() { local id; id=$(container_of "$1"); [ -n "${id}" ] && docker inspect -f '{{.RestartCount}}' "${id}" || echo 0; }

log "waiting for the streams app to be healthy (at most ${COMPOSE_TEST_TIMEOUT_SECONDS:-240}s)"
deadline=$(( $(date +%s) + ${COMPOSE_TEST_TIMEOUT_SECONDS:-240} ))
last=""
while :; do
  now_state="kafka: $(state_of kafka | cut -d' ' -f1-2) | registry: $(state_of schema-registry | cut -d' ' -f1-2) | streams: $(state_of streams | cut -d' ' -f1-2) | generator: $(state_of generator | cut -d' ' -f1)"
  [ "${now_state}" = "${last}" ] || { log "${now_state}"; last=${now_state}; }
  case "$(state_of streams)" in
    "running healthy"*) break ;;
    exited*|restarting*) fail "the streams app exited" ;;
  esac
  [ "$(restarts_of streams)" = 0 ] || fail "the streams app crashed and was restarted"
  [ "$(date +%s)" -lt "${deadline}" ] || fail "the stack was not healthy within ${COMPOSE_TEST_TIMEOUT_SECONDS:-240}s"
  sleep 2
done
# The generator starts once the streams app is healthy.
until [[ "$(state_of generator)" == running* ]]; do
  case "$(state_of generator)" in exited*|restarting*) fail "the generator exited" ;; esac
  [ "$(date +%s)" -lt "${deadline}" ] || fail "the generator did not start within ${COMPOSE_TEST_TIMEOUT_SECONDS:-240}s"
  sleep 1
done
log "stack healthy after $(( $(date +%s) - started ))s"
if command -v curl >/dev/null 2>&1; then
  curl -fsS "http://127.0.0.1:${STREAMS_HEALTH_HOST_PORT}/health" >/dev/null \
    || fail "http://127.0.0.1:${STREAMS_HEALTH_HOST_PORT}/health does not answer 200 from the host"
  log "health endpoint answers on 127.0.0.1:${STREAMS_HEALTH_HOST_PORT}"
fi

[ "$(restarts_of generator)" = 0 ] || fail "the generator crashed and was restarted"

# --- violations
log "reading compliance.violations (at most ${VIOLATIONS_TIMEOUT_SECONDS:-90}s for the first records)"
kafka_id=$(container_of kafka)
consumer_err="${OPS_BUILD_DIR}/compose-test-consumer.err"
keys=$(docker exec "${kafka_id}" /opt/kafka/bin/kafka-console-consumer.sh --bootstrap-server localhost:9092 \
    --topic compliance.violations --from-beginning --max-messages 5 \
    --timeout-ms "$(( ${VIOLATIONS_TIMEOUT_SECONDS:-90} * 1000 ))" \
    --formatter-property print.key=true --formatter-property print.value=false 2>"${consumer_err}") || true
count=$(sed -n 's/.*Processed a total of \([0-9]*\) messages.*/\1/p' "${consumer_err}" | tail -n 1)
[ -n "${count}" ] || { cat "${consumer_err}" >&2; fail "could not read compliance.violations"; }
[ "${count}" -gt 0 ] || fail "no violation arrived on compliance.violations within ${VIOLATIONS_TIMEOUT_SECONDS:-90}s"
log "${count} violation(s) read; keys (org ids): $(tr '\n' ' ' <<<"${keys}")"
result=PASS
