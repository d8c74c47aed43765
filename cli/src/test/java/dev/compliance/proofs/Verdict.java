package dev.compliance.proofs;

import dev.compliance.topics.Topics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Expected (oracle) against found (the real run, read with read_committed): per output record, missing,
 * duplicated, unexpected or different; per input record, processed (all its outputs exactly once) or
 * dead-lettered; per rollup key, the final value.
 */
final class Verdict {

    /** Counts for one topic. */
    record Tally(int expected, int found, int missing, int duplicates, int unexpected, int mismatched) {
        boolean clean() {
            return missing == 0 && duplicates == 0 && unexpected == 0 && mismatched == 0 && expected == found;
        }
    }

    final String scenario;
    final String faults;
    final int goodIn;
    final int badIn;
    final Tally outputs;
    final Tally deadLetters;
    final int processed;
    final int rollupKeys;
    final int rollupFinalMismatches;
    final int deadLettersWithoutReason;
    final int openTransactions;
    final List<String> problems = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    Verdict(String scenario, String faults, List<Input.Sent> input, Outputs expected, Outputs found, int openTransactions) {
        this.scenario = scenario;
        this.faults = faults;
        this.goodIn = (int) input.stream().filter(Input.Sent::good).count();
        this.badIn = input.size() - goodIn;
        this.openTransactions = openTransactions;

        int exp = 0, fnd = 0, miss = 0, dup = 0, unexp = 0, mism = 0;
        Set<String> incompleteEvents = new HashSet<>();
        for (String topic : Outputs.DATA_TOPICS) {
            Tally t = compare(topic, expected.of(topic), found.of(topic), expected, incompleteEvents);
            exp += t.expected;
            fnd += t.found;
            miss += t.missing;
            dup += t.duplicates;
            unexp += t.unexpected;
            mism += t.mismatched;
        }
        this.outputs = new Tally(exp, fnd, miss, dup, unexp, mism);
        this.deadLetters = compare(Topics.DEAD_LETTER.name(), expected.of(Topics.DEAD_LETTER.name()),
                found.of(Topics.DEAD_LETTER.name()), expected, new HashSet<>());

        int done = 0;
        for (Input.Sent s : input) {
            if (s.good() && !incompleteEvents.contains(s.id())) {
                done++;
            }
            boolean refusedByOracle = expected.of(Topics.DEAD_LETTER.name()).containsKey(s.id());
            if (s.good() == refusedByOracle) {
                problems.add("the oracle " + (refusedByOracle ? "dead-letters the good event " : "accepts the poison pill ") + s.id());
            }
        }
        this.processed = done;

        int finals = 0;
        for (Map.Entry<String, String> e : expected.finalRollups.entrySet()) {
            if (!Objects.equals(e.getValue(), found.finalRollups.get(e.getKey()))) {
                finals++;
                example("final rollup differs for " + e.getKey() + ": expected " + e.getValue() + ", found " + found.finalRollups.get(e.getKey()));
            }
        }
        this.rollupKeys = expected.finalRollups.size();
        this.rollupFinalMismatches = finals + (int) found.finalRollups.keySet().stream()
                .filter(k -> !expected.finalRollups.containsKey(k)).count();
        this.deadLettersWithoutReason = found.deadLettersWithoutReason.size();
        found.deadLettersWithoutReason.forEach(id -> example("dead letter without reason/message header: " + id));
    }

    private Tally compare(String topic, Map<String, List<String>> expected, Map<String, List<String>> found,
                          Outputs expectedOutputs, Set<String> incompleteEvents) {
        int exp = 0, fnd = 0, miss = 0, dup = 0, unexp = 0, mism = 0;
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            exp += e.getValue().size();
            String want = e.getValue().get(0);
            List<String> got = found.getOrDefault(e.getKey(), List.of());
            boolean ok = true;
            if (got.isEmpty()) {
                miss++;
                ok = false;
                example(topic + ": missing " + e.getKey());
            } else if (got.size() > e.getValue().size()) {
                dup += got.size() - e.getValue().size();
                ok = false;
                example(topic + ": " + got.size() + " copies of " + e.getKey());
            }
            if (got.stream().anyMatch(v -> !v.equals(want))) {
                mism++;
                ok = false;
                example(topic + ": " + e.getKey() + " differs: expected " + want + ", found " + got);
            }
            if (!ok && expectedOutputs.eventOf.containsKey(e.getKey())) {
                incompleteEvents.add(expectedOutputs.eventOf.get(e.getKey()));
            }
        }
        for (Map.Entry<String, List<String>> f : found.entrySet()) {
            fnd += f.getValue().size();
            if (!expected.containsKey(f.getKey())) {
                unexp += f.getValue().size();
                example(topic + ": unexpected " + f.getKey() + " " + f.getValue().get(0));
            }
        }
        return new Tally(exp, fnd, miss, dup, unexp, mism);
    }

    private void example(String problem) {
        if (problems.size() < 20) {
            problems.add(problem);
        }
    }

    /** in = processed + dead-lettered: every record that went in came out exactly one way. */
    boolean reconciles() {
        return goodIn + badIn == processed + deadLetters.found() && deadLetters.found() == badIn;
    }

    boolean pass() {
        return outputs.clean() && deadLetters.clean() && processed == goodIn && reconciles()
                && rollupFinalMismatches == 0 && deadLettersWithoutReason == 0 && openTransactions == 0
                && problems.isEmpty();
    }

    void note(String note) {
        notes.add(note);
    }
}
