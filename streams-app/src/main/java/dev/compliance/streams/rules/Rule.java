package dev.compliance.streams.rules;

import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.List;

/**
 * One line of POLICY.md's violation table: its code, severity and seed citations, the predicate that
 * makes it fire, and the sentence that explains a verdict to a security officer.
 */
public interface Rule {

    ViolationCode code();

    Severity severity();

    /** Seed ids (POLICY.md, policy/seeds/) the rule comes from. */
    List<String> citations();

    /** True when the event violates the rule. */
    boolean firesOn(EventContext c);

    /** Why it fired, in one sentence, for the violation's message (the citation is appended). */
    String explain(EventContext c);
}
