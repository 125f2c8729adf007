package io.smtpassistant.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Median, 90th percentile and extremes of a set of samples. Percentiles use the nearest-rank method
 * (the p90 of 50 samples is the 45th smallest), so every reported number is a value that was measured.
 */
public record Summary(int count, double min, double median, double p90, double max) {

    public static Summary of(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples to summarize; run at least one measured iteration (--runs 1)");
        }
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return new Summary(sorted.length, sorted[0], rank(sorted, 0.5), rank(sorted, 0.9), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** {@code prefix.median=… prefix.p90=… prefix.max=…} for the machine-readable RESULT line. */
    String keyValues(String prefix, String format) {
        return prefix + ".median=" + fmt(format, median) + " " + prefix + ".p90=" + fmt(format, p90) + " "
                + prefix + ".max=" + fmt(format, max);
    }

    static String fmt(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }
}
