#!/usr/bin/env bash
# The usual Kafka command line tools. The image links each name below to this script, so
# `kafka-topics.sh --bootstrap-server localhost:9092 --list` works as with Kafka's distribution.
set -euo pipefail
case "$(basename "$0")" in
  kafka-topics.sh)               main=org.apache.kafka.tools.TopicCommand ;;
  kafka-console-consumer.sh)     main=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  kafka-console-producer.sh)     main=org.apache.kafka.tools.ConsoleProducer ;;
  kafka-consumer-groups.sh)      main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  kafka-configs.sh)              main=kafka.admin.ConfigCommand ;;
  kafka-storage.sh)              main=kafka.tools.StorageTool ;;
  kafka-cluster.sh)              main=org.apache.kafka.tools.ClusterTool ;;
  kafka-broker-api-versions.sh)  main=org.apache.kafka.tools.BrokerApiVersionsCommand ;;
  kafka-get-offsets.sh)          main=org.apache.kafka.tools.GetOffsetShell ;;
  kafka-metadata-quorum.sh)      main=org.apache.kafka.tools.MetadataQuorumCommand ;;
  kafka-producer-perf-test.sh)   main=org.apache.kafka.tools.ProducerPerformance ;;
  kafka-consumer-perf-test.sh)   main=org.apache.kafka.tools.ConsumerPerformance ;;
  kafka-transactions.sh)         main=org.apache.kafka.tools.TransactionsCommand ;;
  *) echo "unknown Kafka tool: $(basename "$0")" >&2; exit 1 ;;
esac
# Tools start faster with a small heap and the quick JIT.
export KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xmx256M}
export KAFKA_JVM_PERFORMANCE_OPTS=${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}
exec /opt/kafka/bin/kafka-run-class.sh "${main}" "$@"
