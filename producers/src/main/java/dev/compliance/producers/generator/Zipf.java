package dev.compliance.producers.generator;

import java.util.Arrays;
import java.util.Random;

/**
 * Zipf-distributed ranks 0..n-1: rank k is drawn with weight 1/(k+1)^s, so a few orgs and users make most of the
 * traffic, as in real usage. s = 0 is uniform.
 */
final class Zipf {

    private final double[] cumulative;

    Zipf(int n, double exponent) {
        cumulative = new double[n];
        double total = 0;
        for (int k = 0; k < n; k++) {
            total += 1.0 / Math.pow(k + 1, exponent);
            cumulative[k] = total;
        }
    }

    int sample(Random random) {
        double target = random.nextDouble() * cumulative[cumulative.length - 1];
        int index = Arrays.binarySearch(cumulative, target);
        int rank = index >= 0 ? index + 1 : -index - 1;
        return Math.min(rank, cumulative.length - 1);
    }
}
