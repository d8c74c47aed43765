#!/usr/bin/env bash
# Creates the ACLs of acls.txt with kafka-acls (rows already present are left as they are). Rows that
# differ only in the resource name go in one call, since each call starts a JVM.
# Usage: apply-acls.sh BOOTSTRAP_SERVERS ADMIN_CLIENT_PROPERTIES [ACL_FILE]
# Runs where Kafka's tools are: in the apache/kafka image (or compliance-local/kafka) as compose's
# `acls` service, or on a machine with Kafka's bin/ on the PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: apply-acls.sh BOOTSTRAP_SERVERS ADMIN_CLIENT_PROPERTIES [ACL_FILE]"
bootstrap=${1:?${usage}}
admin_config=${2:?${usage}}
acl_file=${3:-${here}/acls.txt}

fail() { echo "apply-acls: $*" >&2; exit 1; }
[ -r "${acl_file}" ] || fail "${acl_file}: no such file"
[ -r "${admin_config}" ] || fail "${admin_config}: no such file"

# kafka-acls.sh in Kafka's distribution and the official image; the same class in any image with kafka-run-class.sh
if command -v kafka-acls.sh >/dev/null; then acls=(kafka-acls.sh)
elif [ -x /opt/kafka/bin/kafka-acls.sh ]; then acls=(/opt/kafka/bin/kafka-acls.sh)
else acls=(/opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.AclCommand)
fi
# a small, quick-starting JVM per call; no server JAAS file
export KAFKA_HEAP_OPTS="-Xmx128m" KAFKA_JVM_PERFORMANCE_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1"
unset KAFKA_OPTS

# DESCRIBE_CONFIGS (the Java enum's name, used in acls.txt) -> DescribeConfigs (the tool's spelling)
pascal_case() {
  local word result=""
  IFS='_' read -ra words <<<"${1,,}"
  for word in "${words[@]}"; do result+="${word^}"; done
  echo "${result}"
}

# Read and check every row first: nothing is applied from a file with a bad row.
declare -a keys=()
declare -A names=()
line_no=0 rows=0
while read -r principal type pattern name operations rest; do
  line_no=$((line_no + 1))
  [[ -z "${principal}" || "${principal}" == \#* ]] && continue
  [[ -n "${operations}" && -z "${rest}" ]] || fail "${acl_file}:${line_no}: expected 5 columns: principal type pattern name operations"
  [[ "${principal}" == User:?* ]] || fail "${acl_file}:${line_no}: principal must look like User:NAME, not '${principal}'"
  case "${type}" in topic|group|transactional-id|cluster) ;; *)
    fail "${acl_file}:${line_no}: unknown resource type '${type}' (topic, group, transactional-id, cluster)" ;; esac
  case "${pattern}" in literal|prefixed) ;; *)
    fail "${acl_file}:${line_no}: pattern must be literal or prefixed, not '${pattern}'" ;; esac
  key="${principal} ${type} ${pattern} ${operations}"
  [[ -v "names[${key}]" ]] || keys+=("${key}")
  names[${key}]+=" ${name}"
  rows=$((rows + 1))
done < "${acl_file}"

for key in "${keys[@]}"; do
  read -r principal type pattern operations <<<"${key}"
  resource=()
  for name in ${names[${key}]}; do
    if [ "${type}" = cluster ]; then resource=(--cluster); else resource+=(--"${type}" "${name}"); fi
  done
  ops=()
  IFS=',' read -ra op_list <<<"${operations}"
  for op in "${op_list[@]}"; do ops+=(--operation "$(pascal_case "${op}")"); done
  echo "apply-acls: allow ${principal} ${operations} on ${type} (${pattern})${names[${key}]}"
  if ! output=$("${acls[@]}" --bootstrap-server "${bootstrap}" --command-config "${admin_config}" --add \
      --allow-principal "${principal}" "${ops[@]}" --resource-pattern-type "${pattern}" "${resource[@]}" 2>&1); then
    echo "${output}" >&2
    fail "kafka-acls failed for ${principal} on${names[${key}]}"
  fi
done
echo "apply-acls: ${rows} rows of ${acl_file} applied"
