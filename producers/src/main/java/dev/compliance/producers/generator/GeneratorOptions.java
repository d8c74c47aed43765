package dev.compliance.producers.generator;

import dev.compliance.producers.SourceException;

/**
 * Options of {@code ./compliance produce generator}.
 *
 * @param generator       what to generate (seed, orgs, distributions, lateness)
 * @param count           how many events to send; 0 means until stopped
 * @param ratePerSecond   target send rate (token bucket); 0 means as fast as the broker takes them
 * @param publishPolicies also publish the sample OrgPolicy records of the generated orgs, before the events
 */
public record GeneratorOptions(GeneratorConfig generator, long count, double ratePerSecond, boolean publishPolicies) {

    public GeneratorOptions {
        if (generator == null) {
            throw new SourceException("generator: no generator config given");
        }
        if (count < 0) {
            throw new SourceException("generator: count must be 0 (until stopped) or more, got " + count);
        }
        if (ratePerSecond < 0 || Double.isNaN(ratePerSecond)) {
            throw new SourceException("generator: rate must be 0 (unlimited) or more events per second, got " + ratePerSecond);
        }
    }
}
