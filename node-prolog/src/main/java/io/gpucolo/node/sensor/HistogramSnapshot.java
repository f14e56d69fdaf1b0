package io.gpucolo.node.sensor;

import java.util.Arrays;

/**
 * A cumulative Prometheus histogram at one scrape: bucket upper bounds (ascending, the last is +Inf) with their
 * cumulative counts, and the {@code _sum} and {@code _count} series.
 */
record HistogramSnapshot(double[] upperBounds, double[] cumulative, double sum, double count) {
    HistogramSnapshot {
        if (upperBounds.length != cumulative.length || upperBounds.length == 0) {
            throw new IllegalArgumentException("histogram needs matching, non-empty bucket arrays");
        }
        if (upperBounds[upperBounds.length - 1] != Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("histogram has no le=\"+Inf\" bucket");
        }
        for (int i = 1; i < upperBounds.length; i++) {
            if (!(upperBounds[i] > upperBounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds not ascending at le=" + upperBounds[i]);
            }
            if (cumulative[i] < cumulative[i - 1]) {
                throw new IllegalArgumentException("bucket counts not cumulative at le=" + upperBounds[i]);
            }
        }
        upperBounds = upperBounds.clone();
        cumulative = cumulative.clone();
    }

    /**
     * The change since {@code previous}, or this snapshot itself when the counters went down (the server restarted:
     * Prometheus counter-reset convention) or the bucket layout changed.
     */
    HistogramSnapshot minus(HistogramSnapshot previous) {
        if (previous == null || !Arrays.equals(upperBounds, previous.upperBounds) || count < previous.count) {
            return this;
        }
        double[] d = new double[cumulative.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = cumulative[i] - previous.cumulative[i];
            if (d[i] < 0) {
                return this;
            }
        }
        return new HistogramSnapshot(upperBounds, d, sum - previous.sum, count - previous.count);
    }

    /**
     * The q-quantile by linear interpolation inside the bucket that holds rank q·n (as PromQL's
     * {@code histogram_quantile}); when it falls in the +Inf bucket, the largest finite bound. NaN when empty.
     */
    double quantile(double q) {
        double n = cumulative[cumulative.length - 1];
        if (n <= 0) {
            return Double.NaN;
        }
        double rank = q * n;
        for (int i = 0; i < cumulative.length; i++) {
            if (cumulative[i] >= rank) {
                if (upperBounds[i] == Double.POSITIVE_INFINITY) {
                    return i == 0 ? Double.NaN : upperBounds[i - 1];
                }
                double lo = i == 0 ? 0 : upperBounds[i - 1];
                double below = i == 0 ? 0 : cumulative[i - 1];
                double inBucket = cumulative[i] - below;
                return inBucket == 0 ? upperBounds[i] : lo + (upperBounds[i] - lo) * (rank - below) / inBucket;
            }
        }
        return upperBounds[upperBounds.length - 1];
    }
}
