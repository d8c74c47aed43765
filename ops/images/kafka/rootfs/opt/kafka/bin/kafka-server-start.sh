#!/usr/bin/env bash
# Runs the broker in the foreground: kafka-server-start.sh server.properties [--override property=value]*
set -euo pipefail
[ $# -ge 1 ] || { echo "USAGE: $0 server.properties [--override property=value]*" >&2; exit 1; }
export KAFKA_LOG4J_OPTS=${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=/opt/kafka/config/log4j2.yaml}
export KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G}
exec /opt/kafka/bin/kafka-run-class.sh kafka.Kafka "$@"
