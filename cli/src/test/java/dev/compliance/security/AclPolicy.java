package dev.compliance.security;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ops/security/acls.txt as Kafka ACL bindings, read with the same rules as apply-acls.sh: one row per
 * principal, resource type, pattern type, resource name and comma-separated operations; '#' comments.
 */
final class AclPolicy {

    private AclPolicy() {
    }

    static List<AclBinding> read(Path file) throws IOException {
        List<AclBinding> bindings = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\\s+");
            String where = file.getFileName() + ":" + (i + 1) + ": ";
            if (cols.length != 5 || !cols[0].startsWith("User:")) {
                throw new IllegalArgumentException(where + "expected: User:NAME type pattern name operations");
            }
            ResourceType type = switch (cols[1]) {
                case "topic" -> ResourceType.TOPIC;
                case "group" -> ResourceType.GROUP;
                case "transactional-id" -> ResourceType.TRANSACTIONAL_ID;
                case "cluster" -> ResourceType.CLUSTER;
                default -> throw new IllegalArgumentException(where + "unknown resource type " + cols[1]);
            };
            PatternType pattern = switch (cols[2]) {
                case "literal" -> PatternType.LITERAL;
                case "prefixed" -> PatternType.PREFIXED;
                default -> throw new IllegalArgumentException(where + "pattern must be literal or prefixed");
            };
            String name = type == ResourceType.CLUSTER ? "kafka-cluster" : cols[3];
            for (String op : cols[4].split(",")) {
                AclOperation operation = AclOperation.fromString(op.toUpperCase(Locale.ROOT));
                if (operation == AclOperation.UNKNOWN) {
                    throw new IllegalArgumentException(where + "unknown operation " + op);
                }
                bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
                        new AccessControlEntry(cols[0], "*", operation, AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }
}
