#!/usr/bin/env bash
# Runs a Java main class on the broker's class path (/opt/kafka/libs), honouring the variables of
# Kafka's own bin/kafka-run-class.sh: KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_GC_LOG_OPTS,
# KAFKA_JMX_OPTS (+ JMX_PORT), KAFKA_LOG4J_OPTS, KAFKA_OPTS, JAVA_HOME.
set -euo pipefail
[ $# -ge 1 ] || { echo "USAGE: $0 classname [opts]" >&2; exit 1; }

base_dir=/opt/kafka
java_cmd=java
[ -n "${JAVA_HOME:-}" ] && java_cmd="${JAVA_HOME}/bin/java"

heap_opts=${KAFKA_HEAP_OPTS:--Xmx256M}
perf_opts=${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true}
log4j_opts=${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=${base_dir}/config/tools-log4j2.yaml}
jmx_opts=${KAFKA_JMX_OPTS:-}
if [ -n "${JMX_PORT:-}" ]; then
  jmx_opts="${jmx_opts:--Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false} -Dcom.sun.management.jmxremote.port=${JMX_PORT}"
fi
# tools-log4j2.yaml is written at broker start; before that (or in a tools-only container) use the bundled one.
if [[ "${log4j_opts}" == *"${base_dir}/config/tools-log4j2.yaml"* && ! -f "${base_dir}/config/tools-log4j2.yaml" ]]; then
  log4j_opts="-Dlog4j2.configurationFile=/etc/kafka/docker/tools-log4j2.yaml"
fi

# shellcheck disable=SC2086 # the *_OPTS variables hold several words
exec "${java_cmd}" ${heap_opts} ${perf_opts} ${KAFKA_GC_LOG_OPTS:-} ${jmx_opts} ${log4j_opts} ${KAFKA_OPTS:-} \
  -cp "${base_dir}/libs/*" "$@"
