package io.gpucolo.cli.demo;

import java.util.List;
import java.util.Map;

/**
 * The demo's figures, computed from its timeline.
 *
 * <p>Burst violation fraction: over every service {@code s} and every 1-second window {@code w} inside
 * the burst {@code [from, to)} that has a p99 sample, {@code 100 * #(p99(s,w) > SLO(s)) / #(s,w)}.
 * GPUs saved: the GPUs a dedicated cluster would need (one per inference service and one per training job
 * that ran) minus the distinct GPUs the co-located run used.
 *
 * @param burstWindows         service-windows sampled during the burst
 * @param burstViolations      of those, windows with p99 over the service's SLO
 * @param placed               training jobs placed on an inference GPU
 * @param placedAsChosen       of those, jobs Slurm runs on exactly the GPU admitd chose
 * @param deferred             training jobs deferred at least once
 * @param controllerActions    throttle/release/share changes the node controller made
 * @param gpusDedicated        GPUs the same jobs would need without co-location
 * @param gpusUsed             distinct GPUs used
 */
record DemoSummary(int burstWindows, int burstViolations, int placed, int placedAsChosen, int deferred, long controllerActions,
                   int gpusDedicated, int gpusUsed) {
    DemoSummary {
        if (burstViolations < 0 || burstViolations > burstWindows) {
            throw new IllegalArgumentException("violations " + burstViolations + " not within 0.." + burstWindows);
        }
        if (placedAsChosen < 0 || placedAsChosen > placed) {
            throw new IllegalArgumentException("placed as chosen " + placedAsChosen + " not within 0.." + placed);
        }
    }

    /** Percentage of burst windows over the SLO; 0 when no window was sampled. */
    double burstViolationPct() {
        return burstWindows == 0 ? 0 : 100.0 * burstViolations / burstWindows;
    }

    int gpusSaved() {
        return Math.max(0, gpusDedicated - gpusUsed);
    }

    /**
     * Counts burst windows over the SLO from series {@code p99.<svc>} and {@code slo.<svc>}; each service's
     * burst is {@code [from, to)} in sample times (a sample at t covers the second before t).
     */
    static int[] burstWindows(Timeline tl, Map<String, double[]> burstBySvc) {
        int windows = 0;
        int over = 0;
        for (String name : tl.names("p99.")) {
            String svc = name.substring("p99.".length());
            double slo = tl.last("slo." + svc);
            double[] span = burstBySvc.get(svc);
            if (!Double.isFinite(slo) || span == null) {
                continue;
            }
            double from = span[0];
            double to = span[1];
            List<Timeline.Point> pts = tl.series(name);
            for (Timeline.Point p : pts) {
                if (p.t() >= from && p.t() < to) {
                    windows++;
                    if (p.value() > slo) {
                        over++;
                    }
                }
            }
        }
        return new int[] {windows, over};
    }
}
