#!/usr/bin/env bash
# End-to-end check of docker-compose.secure.yml: generates the certificates and passwords if needed,
# brings the secure stack up under its own project name, waits for the streams app (User:compliance-app)
# to be healthy and the generator (User:producer) to feed it, then uses Kafka's console tools as each
# principal to check a few access rules (violations reach User:secops, refusals elsewhere), and
# always takes the stack down again. Prints a table and PASS or FAIL.
#
# Images: as ops/compose-test.sh (KAFKA_IMAGE, SCHEMA_REGISTRY_IMAGE, APP_IMAGE override; otherwise the
# ops/images scripts provide them). Bound: SECURE_COMPOSE_TIMEOUT_SECONDS (default 300) for the stack.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "${here}/../lib/common.sh"
log() { printf '[secure-compose-test] %s\n' "$*"; }

project=${SECURE_COMPOSE_PROJECT:-compliance-secure-test}
compose_file=${here}/docker-compose.secure.yml
started=$(date +%s)
result=FAIL
mkdir -p "${OPS_BUILD_DIR}"

if docker compose version >/dev/null 2>&1; then compose_cmd=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then compose_cmd=(docker-compose)
else echo "[secure-compose-test] FAIL: neither 'docker compose' nor 'docker-compose' is installed" >&2; exit 1
fi
compose() { "${compose_cmd[@]}" -p "${project}" -f "${compose_file}" "$@"; }
fail() { printf '[secure-compose-test] %s\n' "$*" >&2; exit 1; }

finish() {
  local code=$?
  if [ "${result}" != PASS ]; then
    log "service logs (last 30 lines each):"
    for service in kafka acls schema-registry streams generator; do
      echo "----- ${service}"; compose logs --no-color --tail=30 "${service}" 2>/dev/null || true
    done
  fi
  log "taking the stack down"
  compose down -v --remove-orphans -t 10 >/dev/null 2>&1 || true
  echo "[secure-compose-test] ${result} ($(( $(date +%s) - started ))s)"
  [ "${result}" = PASS ] || { [ "${code}" -ne 0 ] || code=1; }
  exit "${code}"
}

# --- certificates, passwords, images
"${here}/make-certs.sh"
KAFKA_IMAGE=$("${OPS_DIR}/images/ensure-kafka-image.sh") || fail "no Kafka image"
if [ -z "${SCHEMA_REGISTRY_IMAGE:-}" ]; then
  "${OPS_DIR}/images/registry/build.sh" || fail "could not build the registry image"
  SCHEMA_REGISTRY_IMAGE=${LOCAL_REGISTRY_IMAGE}
fi
if [ -z "${APP_IMAGE:-}" ]; then
  "${OPS_DIR}/images/app/build.sh" || fail "could not build the app image"
  APP_IMAGE=${LOCAL_APP_IMAGE}
fi
export KAFKA_IMAGE SCHEMA_REGISTRY_IMAGE APP_IMAGE
export SECURE_KAFKA_HOST_PORT=${SECURE_KAFKA_HOST_PORT:-39094}
export SECURE_SCHEMA_REGISTRY_HOST_PORT=${SECURE_SCHEMA_REGISTRY_HOST_PORT:-38091}
export SECURE_STREAMS_HEALTH_HOST_PORT=${SECURE_STREAMS_HEALTH_HOST_PORT:-38092}
log "images: kafka=${KAFKA_IMAGE} registry=${SCHEMA_REGISTRY_IMAGE} app=${APP_IMAGE}"

trap finish EXIT
compose down -v --remove-orphans -t 5 >/dev/null 2>&1 || true

# --- up, then wait for the streams app: it runs only if TLS, SCRAM and its ACLs all work
log "${compose_cmd[*]} up -d (project ${project})"
compose up -d >"${OPS_BUILD_DIR}/secure-compose-up.log" 2>&1 || { cat "${OPS_BUILD_DIR}/secure-compose-up.log" >&2; fail "compose up failed"; }
deadline=$(( $(date +%s) + ${SECURE_COMPOSE_TIMEOUT_SECONDS:-300} ))
health=""
while [ "$(date +%s)" -lt "${deadline}" ]; do
  id=$(compose ps -q streams 2>/dev/null || true)
  health=$([ -n "${id}" ] && docker inspect --format '{{.State.Health.Status}}' "${id}" 2>/dev/null || echo starting)
  [ "${health}" = healthy ] && break
  acls_id=$(compose ps -q acls 2>/dev/null || true)
  if [ -n "${acls_id}" ] && [ "$(docker inspect --format '{{.State.Status}} {{.State.ExitCode}}' "${acls_id}")" = "exited 1" ]; then
    fail "the acls service failed"
  fi
  sleep 3
done
[ "${health}" = healthy ] || fail "the streams app is not healthy after ${SECURE_COMPOSE_TIMEOUT_SECONDS:-300}s"
log "streams app healthy as User:compliance-app after $(( $(date +%s) - started ))s"

# --- access rules, with Kafka's console tools in a throwaway container of the kafka image
network=$(docker inspect --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}' "$(compose ps -q kafka)")
as_principal() { # principal command...
  local principal=$1; shift
  docker run --rm --network "${network}" -v "${here}/build/clients/${principal}:/etc/compliance/security:ro" \
    -e KAFKA_HEAP_OPTS=-Xmx128m --entrypoint bash "${KAFKA_IMAGE}" -c "$*" 2>&1 && echo "exit=0" || echo "exit=$?"
}
consumer="/opt/kafka/bin/kafka-console-consumer.sh --bootstrap-server kafka:9092 --command-config /etc/compliance/security/client.properties --from-beginning --property print.value=false --max-messages 1 --timeout-ms 10000"
producer="/opt/kafka/bin/kafka-console-producer.sh --bootstrap-server kafka:9092 --command-config /etc/compliance/security/client.properties"

failures=0
check() { # principal action expected(allowed|refused) output
  # refused: the broker said so; allowed: the tool succeeded without such an error; anything else proves nothing
  local outcome=unclear
  if grep -qiE 'AuthorizationException|Not authorized|AuthenticationException' <<<"$4"; then outcome=refused
  elif grep -q '^exit=0$' <<<"$4"; then outcome=allowed
  fi
  local verdict=OK
  [ "${outcome}" = "$3" ] || { verdict=WRONG; failures=$((failures + 1)); echo "$4" | tail -5 >&2; }
  printf '  %-15s %-52s %-8s %-8s %s\n' "$1" "$2" "$3" "${outcome}" "${verdict}"
}
printf '  %-15s %-52s %-8s %-8s %s\n' principal action expected outcome verdict
check producer  "write compliance.usage-events" allowed \
  "$(as_principal producer "echo not-avro | ${producer} --topic compliance.usage-events")"
# the generator's events (User:producer) through the app (User:compliance-app) to security operations
flow=$(as_principal secops "${consumer/--timeout-ms 10000/--timeout-ms 90000} --topic compliance.violations --group secops-check")
grep -q 'Processed a total of 1 message' <<<"${flow}" || flow="no violation within 90 s: ${flow}"$'\n'"exit=1"
check secops    "read compliance.violations (group secops-check)" allowed "${flow}"
check secops    "read compliance.usage-events" refused \
  "$(as_principal secops "${consumer} --topic compliance.usage-events --group secops-check")"
check secops    "write compliance.violations" refused \
  "$(as_principal secops "echo forged | ${producer} --topic compliance.violations")"
check analytics "read compliance.retention (group analytics-check)" allowed \
  "$(as_principal analytics "${consumer} --topic compliance.retention --group analytics-check")"
check analytics "read compliance.violations" refused \
  "$(as_principal analytics "${consumer} --topic compliance.violations --group analytics-check")"
check producer  "read compliance.usage-events" refused \
  "$(as_principal producer "${consumer} --topic compliance.usage-events --group producer-check")"

# the app dead-letters the producer's unreadable record: data flowed producer -> app -> dead-letter
dead=$(compose exec -T kafka bash -c "KAFKA_OPTS= /opt/kafka/bin/kafka-console-consumer.sh --bootstrap-server localhost:9092 \
  --command-config /etc/kafka/secrets/admin.properties --topic compliance.dead-letter --from-beginning \
  --timeout-ms 15000 --max-messages 1 --property print.value=false --property print.headers=true" 2>/dev/null || true)
if grep -q 'compliance.dlq.reason' <<<"${dead}"; then
  printf '  %-15s %-52s %-8s %-8s %s\n' compliance-app "dead-letter the producer's unreadable record" allowed allowed OK
else
  printf '  %-15s %-52s %-8s %-8s %s\n' compliance-app "dead-letter the producer's unreadable record" allowed "(none)" WRONG
  failures=$((failures + 1))
fi

[ "${failures}" -eq 0 ] || fail "${failures} access check(s) did not go as expected"
result=PASS
