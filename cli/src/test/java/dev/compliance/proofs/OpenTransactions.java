package dev.compliance.proofs;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What a stalled app's offset fetch waits for, seen from outside with the Admin API (KIP-664, as
 * {@code kafka-transactions.sh describe-producers / list / find-hanging} show it): the producers with an open
 * transaction on the group's {@code __consumer_offsets} partition, and what the transaction coordinator says about
 * every transactional id. An OffsetFetch with require_stable answers UNSTABLE_OFFSET_COMMIT while the group's partition
 * holds offsets of an open transaction; an open transaction there whose producer the coordinator does not list as
 * ONGOING or PREPARE_* is a hanging transaction, which no marker will ever close (issue 9).
 */
final class OpenTransactions {

    /** {@code offsets.topic.num.partitions}' default, which the proofs' broker keeps. */
    private static final int OFFSETS_PARTITIONS = 50;

    private OpenTransactions() {
    }

    /** The group coordinator's partition of {@code __consumer_offsets} for a group id. */
    static TopicPartition offsetsPartition(String groupId) {
        return new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, Utils.abs(groupId.hashCode()) % OFFSETS_PARTITIONS);
    }

    /** One paragraph for a stall report; each part says so if the broker did not answer it. */
    static String report(Admin admin, String groupId) {
        TopicPartition offsets = offsetsPartition(groupId);
        Collection<TransactionListing> listings;
        try {
            listings = admin.listTransactions().all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            listings = null;
        }
        Map<Long, TransactionListing> byProducer = listings == null ? Map.of() : listings.stream()
                .collect(Collectors.toMap(TransactionListing::producerId, l -> l, (a, b) -> a));
        StringBuilder out = new StringBuilder("open transactions on " + offsets + " (group " + groupId + "): ");
        try {
            List<ProducerState> open = admin.describeProducers(List.of(offsets)).partitionResult(offsets)
                    .get(30, TimeUnit.SECONDS).activeProducers().stream()
                    .filter(p -> p.currentTransactionStartOffset().isPresent()).toList();
            out.append(open.isEmpty() ? "none" : open.stream().map(p -> describe(p, byProducer.get(p.producerId())))
                    .collect(Collectors.joining("; ")));
        } catch (Exception e) {
            out.append("not answered (").append(rootCause(e)).append(')');
        }
        out.append("\ntransaction coordinator: ");
        if (listings == null) {
            return out.append("not answered").toString();
        }
        try {
            Map<String, TransactionDescription> described = listings.isEmpty() ? Map.of() : admin.describeTransactions(
                    listings.stream().map(TransactionListing::transactionalId).toList()).all().get(30, TimeUnit.SECONDS);
            out.append(described.isEmpty() ? "no transactional ids" : described.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue().state() + " producer " + e.getValue().producerId() + " epoch "
                            + e.getValue().producerEpoch() + " partitions " + e.getValue().topicPartitions())
                    .collect(Collectors.joining("; ")));
        } catch (Exception e) {
            out.append(listings.stream().map(l -> l.transactionalId() + " " + l.state()).collect(Collectors.joining("; ")))
                    .append(" (described: not answered, ").append(rootCause(e)).append(')');
        }
        return out.toString();
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static String describe(ProducerState p, TransactionListing listing) {
        String coordinator = listing == null ? "unknown to the transaction coordinator"
                : listing.transactionalId() + " " + listing.state();
        boolean hanging = listing == null || !(listing.state().toString().equals("ONGOING")
                || listing.state().toString().startsWith("PREPARE"));
        return "producer " + p.producerId() + " epoch " + p.producerEpoch() + " since offset "
                + p.currentTransactionStartOffset().getAsLong() + " (coordinator epoch " + p.coordinatorEpoch() + "; "
                + coordinator + (hanging ? "; HANGING: no marker will close it" : "") + ")";
    }
}
