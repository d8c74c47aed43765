package dev.compliance.streams;

import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one pipeline diagram, in docs/architecture.md ("The pipeline"), cannot drift from the code: every node
 * (source, processor, sink) and every topic of {@code ComplianceTopology.build(...).describe()} is named in it,
 * and every step and topic it names is in the topology. In the diagram a step is a word with a hyphen
 * ({@code decode-and-validate}) and a topic starts with {@code compliance.}; other words are annotations.
 */
class TopologyDiagramTest {

    private static final Path ARCHITECTURE = Path.of("..", "docs", "architecture.md");
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9][a-z0-9.-]*");

    @Test
    void theDiagramNamesEveryStepAndTopicOfTheTopologyAndNothingElse() throws Exception {
        TopologyDescription description = ComplianceTopology.build(Map.of(
                "schema.registry.url", "mock://topology-diagram",
                ComplianceConfig.PSEUDONYM_SECRET, "test-secret-0123456789")).describe();
        Set<String> steps = new TreeSet<>();
        Set<String> topics = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            sub.nodes().forEach(node -> collect(node, steps, topics));
        }
        for (TopologyDescription.GlobalStore global : description.globalStores()) {
            collect(global.source(), steps, topics);
            collect(global.processor(), steps, topics);
        }

        Set<String> diagramSteps = new TreeSet<>();
        Set<String> diagramTopics = new TreeSet<>();
        Matcher m = TOKEN.matcher(String.join("\n", diagram()));
        while (m.find()) {
            String token = m.group();
            if (token.startsWith("compliance.")) {
                diagramTopics.add(token);
            } else if (token.contains("-")) {
                diagramSteps.add(token);
            }
        }

        String hint = "%nthe topology:%n" + description;
        assertThat(difference(steps, diagramSteps)).as("steps of the topology missing from docs/architecture.md's diagram" + hint).isEmpty();
        assertThat(difference(diagramSteps, steps)).as("steps in docs/architecture.md's diagram the topology lacks" + hint).isEmpty();
        assertThat(difference(topics, diagramTopics)).as("topics of the topology missing from the diagram" + hint).isEmpty();
        assertThat(difference(diagramTopics, topics)).as("topics in the diagram the topology lacks" + hint).isEmpty();
        assertThat(steps).as("the topology as described").isNotEmpty();
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> rest = new TreeSet<>(a);
        rest.removeAll(b);
        return rest;
    }

    private static void collect(TopologyDescription.Node node, Set<String> steps, Set<String> topics) {
        steps.add(node.name());
        if (node instanceof TopologyDescription.Source source) {
            topics.addAll(source.topicSet());
        } else if (node instanceof TopologyDescription.Sink sink) {
            topics.add(sink.topic());
        }
    }

    /** The lines of the first code block after the heading "## The pipeline". */
    private static List<String> diagram() throws Exception {
        List<String> doc = Files.readAllLines(ARCHITECTURE);
        int i = doc.indexOf("## The pipeline");
        assertThat(i).as("docs/architecture.md has a section '## The pipeline'").isNotNegative();
        while (!doc.get(i).startsWith("```")) {
            i++;
        }
        List<String> block = new ArrayList<>();
        for (i = i + 1; !doc.get(i).startsWith("```"); i++) {
            block.add(doc.get(i));
        }
        return block;
    }
}
