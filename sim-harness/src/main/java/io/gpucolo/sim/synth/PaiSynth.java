package io.gpucolo.sim.synth;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A synthetic trace in the shape of Alibaba PAI 2020 (cluster-trace-gpu-v2020), seeded and reproducible.
 *
 * <p>Matched to the published statistics (Weng et al., NSDI'22, and the trace's README): 1.26 million task
 * rows over 57 days at scale 1, 1,350 users with a skewed (cubic) popularity, 95% Terminated / 4% Failed /
 * 1% Running, 3% of rows without a GPU, a daily cycle of arrivals (+-40% around the mean, peak mid-day),
 * most tasks asking a fraction of one GPU, instance GPU utilization lognormal with median 1.5% and, capped at 100%, mean
 * 10.5% ({@code sigma = 2.349}), and the machine spec's GPU types in its proportions (6,742
 * GPUs at scale 1). What the statistics leave open is fixed here and documented in {@code docs/SIMULATOR.md}:
 * inference tasks (named {@code inference}) ask 5-50% for a lognormal time (median 2 h, sigma 1.0);
 * training tasks (named {@code worker}/{@code PyTorchWorker}) ask 25-800% (mostly 50-100%) with 1-8 instances for a lognormal
 * time (median 40 min, sigma 1.5), both capped at 5 days.
 */
public final class PaiSynth {
    /** GPU types of the real machine spec with machines and GPUs per machine. */
    static final String[] TYPES = {"MISC", "P100", "T4", "V100", "V100M32"};
    static final int[] MACHINES = {280, 798, 497, 104, 135};
    static final int[] GPUS_PER_MACHINE = {8, 2, 2, 8, 8};
    static final int CPU_MACHINES = 83;
    static final int[] INF_SHARES = {5, 10, 20, 25, 50};
    static final double[] INF_WEIGHTS = {0.15, 0.25, 0.20, 0.20, 0.20};
    static final int[] TRAIN_SHARES = {25, 50, 100, 200, 400, 800};
    static final double[] TRAIN_WEIGHTS = {0.20, 0.35, 0.35, 0.06, 0.03, 0.01};
    static final int[] INSTANCES = {1, 2, 4, 8};
    static final double[] INST_WEIGHTS = {0.85, 0.10, 0.04, 0.01};
    static final long MAX_DURATION_S = 5 * 86_400L;
    /** Lognormal sigma whose mean, capped at 100%, is 10.5% with median 1.5% (solved numerically). */
    static final double UTIL_SIGMA = 2.349;

    /** Receives the generated rows, in start-time order. */
    public interface Sink {
        /** One task row; {@code gpuPercent} is NaN for a task without GPU, {@code end} is -1 while Running. */
        void task(String jobName, String taskName, int instances, String status, long start, long end,
                  double memGb, double gpuPercent, String gpuType, String user, double gpuUtilPercent);
    }

    private final SynthSpec spec;

    public PaiSynth(SynthSpec spec) {
        this.spec = spec;
    }

    public SynthSpec spec() {
        return spec;
    }

    /** Machines per type at this scale (at least one machine of the largest type). */
    public int[] machines() {
        int[] m = new int[TYPES.length];
        int total = 0;
        for (int i = 0; i < m.length; i++) {
            m[i] = (int) Math.round(MACHINES[i] * spec.scale());
            total += m[i];
        }
        if (total == 0) {
            m[1] = 1;
        }
        return m;
    }

    public int gpus() {
        int[] m = machines();
        int g = 0;
        for (int i = 0; i < m.length; i++) {
            g += m[i] * GPUS_PER_MACHINE[i];
        }
        return g;
    }

    public void generate(Sink sink) {
        SplittableRandom rng = new SplittableRandom(spec.seed());
        long rows = spec.taskRows();
        if (rows > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many rows: " + rows);
        }
        long horizon = spec.days() * 86_400L;
        long[] starts = new long[(int) rows];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = diurnalTime(rng, horizon);
        }
        Arrays.sort(starts);
        double[] typeWeights = new double[TYPES.length];
        for (int i = 0; i < TYPES.length; i++) {
            typeWeights[i] = MACHINES[i] * GPUS_PER_MACHINE[i];
        }
        int users = spec.users();
        for (int i = 0; i < starts.length; i++) {
            String job = hex(rng.nextLong(), i);
            double st = rng.nextDouble();
            String status = st < 0.95 ? "Terminated" : st < 0.99 ? "Failed" : "Running";
            boolean gpu = rng.nextDouble() >= 0.03;
            boolean inference = rng.nextDouble() < spec.inferenceFraction();
            double share = inference ? pick(rng, INF_SHARES, INF_WEIGHTS) : pick(rng, TRAIN_SHARES, TRAIN_WEIGHTS);
            int inst = inference ? 1 : (int) pick(rng, INSTANCES, INST_WEIGHTS);
            double dur = inference ? lognormal(rng, 7_200, 1.0) : lognormal(rng, 2_400, 1.5);
            long d = Math.max(10, Math.min(MAX_DURATION_S, Math.round(dur)));
            double mem = Math.min(200, Math.round(lognormal(rng, inference ? 6 : 9, 0.9) * 10) / 10.0);
            String type = rng.nextDouble() < 0.2 ? "" : TYPES[pickIndex(rng, typeWeights)];
            double u = rng.nextDouble();
            String user = "u" + (int) (users * u * u * u);
            double util = Math.min(100, Math.round(lognormal(rng, 1.5, UTIL_SIGMA) * 100) / 100.0);
            String taskName = inference ? "inference" : rng.nextDouble() < 0.75 ? "worker" : "PyTorchWorker";
            long end = status.equals("Running") ? -1 : starts[i] + d;
            sink.task(job, taskName, inst, status, starts[i], end, mem, gpu ? share : Double.NaN, type, user, util);
        }
    }

    /** A 24-hex-digit job name like the trace's: 16 random digits, then the row number. */
    static String hex(long random, int row) {
        char[] c = new char[24];
        for (int k = 15; k >= 0; k--) {
            c[k] = Character.forDigit((int) (random & 15), 16);
            random >>>= 4;
        }
        for (int k = 23; k >= 16; k--) {
            c[k] = Character.forDigit(row & 15, 16);
            row >>>= 4;
        }
        return new String(c);
    }

    /** A time in [0, horizon) from a daily cycle 1 + 0.4 sin(2 pi (t/day - 0.375)), by rejection. */
    private static long diurnalTime(SplittableRandom rng, long horizon) {
        while (true) {
            double t = rng.nextDouble() * horizon;
            double rate = 1 + 0.4 * Math.sin(2 * Math.PI * (t / 86_400.0 - 0.375));
            if (rng.nextDouble() * 1.4 < rate) {
                return (long) t;
            }
        }
    }

    static double lognormal(SplittableRandom rng, double median, double sigma) {
        return median * Math.exp(sigma * gaussian(rng));
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static double pick(SplittableRandom rng, int[] values, double[] weights) {
        return values[pickIndex(rng, weights)];
    }

    private static int pickIndex(SplittableRandom rng, double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double x = rng.nextDouble() * sum;
        for (int i = 0; i < weights.length - 1; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
