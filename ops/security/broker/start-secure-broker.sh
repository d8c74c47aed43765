#!/usr/bin/env bash
# Starts the secure broker in an apache/kafka image (or the compatible compliance-local/kafka image).
# Runs as the container's command, with make-certs.sh's broker/ directory mounted at /etc/kafka/secrets:
#  1. reads the keystore and truststore passwords from their files (nothing secret in the environment);
#  2. formats the log directory with the SCRAM-SHA-512 users of scram-users.properties: in KRaft the
#     credentials must be in the metadata before any client can log in (skipped when already formatted);
#  3. hands over to the image's own entry point, /etc/kafka/docker/run (KAFKA_* variables -> server.properties).
set -euo pipefail
secrets=/etc/kafka/secrets

fail() { echo "start-secure-broker: $*" >&2; exit 1; }
[ -r "${secrets}/scram-users.properties" ] || fail "${secrets}/scram-users.properties missing: run ops/security/make-certs.sh and mount its broker/ directory at ${secrets}"

# 1. SSL passwords, the same way the official image reads KAFKA_SSL_*_CREDENTIALS
export KAFKA_SSL_KEYSTORE_LOCATION="${secrets}/${KAFKA_SSL_KEYSTORE_FILENAME:?}"
export KAFKA_SSL_KEYSTORE_PASSWORD=$(cat "${secrets}/${KAFKA_SSL_KEYSTORE_CREDENTIALS:?}")
export KAFKA_SSL_KEY_PASSWORD=$(cat "${secrets}/${KAFKA_SSL_KEY_CREDENTIALS:?}")
export KAFKA_SSL_TRUSTSTORE_LOCATION="${secrets}/${KAFKA_SSL_TRUSTSTORE_FILENAME:?}"
export KAFKA_SSL_TRUSTSTORE_PASSWORD=$(cat "${secrets}/${KAFKA_SSL_TRUSTSTORE_CREDENTIALS:?}")
unset KAFKA_SSL_TRUSTSTORE_FILENAME KAFKA_SSL_TRUSTSTORE_CREDENTIALS

# 2. The broker's configuration as the image will write it (KAFKA_FOO_BAR -> foo.bar, ___ -> -, __ -> _),
#    for the storage tool only.
format_config=$(mktemp)
while IFS='=' read -r name value; do
  case "${name}" in
    KAFKA_VERSION|KAFKA_HEAP_OPTS|KAFKA_LOG4J_OPTS|KAFKA_OPTS|KAFKA_JMX_OPTS|KAFKA_JVM_PERFORMANCE_OPTS|\
    KAFKA_GC_LOG_OPTS|KAFKA_LOG4J_ROOT_LOGLEVEL|KAFKA_LOG4J_LOGGERS|KAFKA_TOOLS_LOG4J_LOGLEVEL|KAFKA_JMX_HOSTNAME) continue ;;
  esac
  key=${name#KAFKA_}; key=${key,,}; key=${key//___/-}; key=${key//__/@}; key=${key//_/.}; key=${key//@/_}
  printf '%s=%s\n' "${key}" "${value}" >> "${format_config}"
done < <(env | grep '^KAFKA_[A-Z0-9_]*=')

scram=()
while IFS='=' read -r user password; do
  [[ -z "${user}" || "${user}" == \#* ]] && continue
  scram+=(--add-scram "SCRAM-SHA-512=[name=${user},password=${password}]")
done < "${secrets}/scram-users.properties"

echo "===> Formatting the log directory with $(( ${#scram[@]} / 2 )) SCRAM-SHA-512 users (cluster ${CLUSTER_ID:?CLUSTER_ID is required})"
# (the tool prints the bootstrap records, salted credentials included: shown only when it fails)
if ! output=$(KAFKA_OPTS="" /opt/kafka/bin/kafka-storage.sh format --ignore-formatted --cluster-id "${CLUSTER_ID}" \
    --config "${format_config}" "${scram[@]}" 2>&1); then
  echo "${output}" >&2
  fail "formatting the log directory failed"
fi
grep -E '^(Formatting|All of the log directories)' <<<"${output}" || true
rm -f "${format_config}"

# 3. The image's entry point (its own format step then reports "already formatted", which it accepts).
exec /etc/kafka/docker/run
