package io.distill.bench;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles of a set of measured durations (milliseconds), nearest-rank. */
record Latencies(int count, double p50, double p99, double max) {

    static Latencies of(Collection<Double> millis) {
        double[] sorted =
                millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return of(sorted);
    }

    static Latencies of(double[] sorted) {
        if (sorted.length == 0) {
            return new Latencies(0, Double.NaN, Double.NaN, Double.NaN);
        }
        Arrays.sort(sorted);
        return new Latencies(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
