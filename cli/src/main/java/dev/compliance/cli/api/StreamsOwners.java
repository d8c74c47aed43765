package dev.compliance.cli.api;

import dev.compliance.streams.query.RetentionExposure;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The owners as Kafka Streams knows them: every instance advertises its API as {@code application.server}
 * (host:port of {@code compliance.health.host/port}, reachable by the others), and the stores are
 * partitioned by orgId, so {@link KafkaStreams#queryMetadataForKey} names the instance that holds an org.
 */
final class StreamsOwners implements Owners {

    private final KafkaStreams streams;
    private final HostInfo self;

    StreamsOwners(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    @Override
    public Optional<URI> ownerOf(String orgId) {
        KeyQueryMetadata metadata = streams.queryMetadataForKey(RetentionExposure.STORE, orgId, new StringSerializer());
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw new ApiError(503, "the application is rebalancing; no instance holds org '" + orgId + "' right now, try again");
        }
        HostInfo owner = metadata.activeHost();
        return owner.equals(self) ? Optional.empty() : Optional.of(uri(owner));
    }

    @Override
    public List<URI> others() {
        List<URI> out = new ArrayList<>();
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            if (!m.hostInfo().equals(self) && m.stateStoreNames().contains(RetentionExposure.STORE)) {
                out.add(uri(m.hostInfo()));
            }
        }
        return out;
    }

    private static URI uri(HostInfo host) {
        return URI.create("http://" + host.host() + ":" + host.port());
    }
}
