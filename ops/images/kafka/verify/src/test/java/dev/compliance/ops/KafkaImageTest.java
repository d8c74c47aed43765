package dev.compliance.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Starts the broker image the way the project's integration tests do and round-trips one record. */
class KafkaImageTest {

  private static final DockerImageName IMAGE =
      DockerImageName.parse(System.getProperty("kafka.image", "compliance-local/kafka:4.3.1"))
          .asCompatibleSubstituteFor("apache/kafka");

  @Test
  void producesAndConsumesThroughTheContainer() throws Exception {
    try (KafkaContainer kafka = new KafkaContainer(IMAGE)) {
      long start = System.nanoTime();
      kafka.start();
      System.out.printf("broker %s ready in %d ms%n", IMAGE, (System.nanoTime() - start) / 1_000_000);

      Map<String, Object> producerConfig = Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers(),
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
        producer.send(new ProducerRecord<>("image-check", "org-1", "hello")).get();
      }

      Map<String, Object> consumerConfig = Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers(),
          ConsumerConfig.GROUP_ID_CONFIG, "image-check",
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
      List<ConsumerRecord<String, String>> received = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
        consumer.subscribe(List.of("image-check"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (received.isEmpty() && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(500)).forEach(received::add);
        }
      }
      assertThat(received).extracting(ConsumerRecord::value).containsExactly("hello");
    }
  }
}
