package dev.compliance.producers.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Picks one of a few values with given relative weights (weights need not sum to one; zero weights never win). */
final class Weighted<E> {

    private final List<E> values = new ArrayList<>();
    private final double[] cumulative;

    Weighted(Map<E, Double> weights) {
        double total = 0;
        double[] sums = new double[weights.size()];
        for (Map.Entry<E, Double> entry : weights.entrySet()) {
            if (entry.getValue() > 0) {
                total += entry.getValue();
                sums[values.size()] = total;
                values.add(entry.getKey());
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("every weight is zero");
        }
        cumulative = java.util.Arrays.copyOf(sums, values.size());
    }

    E pick(Random random) {
        double target = random.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            if (target < cumulative[i]) {
                return values.get(i);
            }
        }
        return values.get(values.size() - 1);
    }
}
