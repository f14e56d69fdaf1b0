package io.gpucolo.admission.latency;

import java.util.Locale;

/**
 * Scaling rule for GPU models without a profile of their own: a service time measured on GPU {@code a} is
 * scaled to GPU {@code b} by {@code factor(b) / factor(a)}, where {@code factor} is the latency relative to an
 * A100 for the same work (larger = slower).
 *
 * <table>
 *   <caption>latency factors</caption>
 *   <tr><th>GPU (name contains)</th><th>factor</th><th>where it comes from</th></tr>
 *   <tr><td>H100, H200</td><td>0.6</td><td>assumed (not in the data)</td></tr>
 *   <tr><td>A100</td><td>1.0</td><td>reference (ParvaGPU profiles)</td></tr>
 *   <tr><td>V100, 3090</td><td>1.7</td><td>assumed A100 speed-up over V100 (not in the data); RTX 3090 taken as V100</td></tr>
 *   <tr><td>P100</td><td>2.232</td><td>1.7 x 1.313, the median V100/P100 throughput ratio of the 83 Gavel job types</td></tr>
 *   <tr><td>T4</td><td>2.232</td><td>assumed equal to P100</td></tr>
 *   <tr><td>K80</td><td>8.145</td><td>1.7 x 4.791, the median V100/K80 throughput ratio of 80 Gavel job types</td></tr>
 *   <tr><td>anything else (MISC, unknown names)</td><td>2.232</td><td>treated as P100: an older data-centre GPU</td></tr>
 * </table>
 * The Gavel ratios are recomputed from {@code gavel/simulation_throughputs.json} by {@code GpuSpeedTest}.
 */
public final class GpuSpeed {
    static final double V100_PER_A100 = 1.7;
    static final double P100_PER_V100 = 1.313;
    static final double K80_PER_V100 = 4.791;

    private GpuSpeed() {
    }

    /** Latency of a GPU model relative to an A100 (1.0); unknown names get the MISC factor. */
    public static double latencyFactor(String gpuModel) {
        String n = normalize(gpuModel);
        if (n.contains("H100") || n.contains("H200")) {
            return 0.6;
        }
        if (n.contains("A100")) {
            return 1.0;
        }
        if (n.contains("V100") || n.contains("3090")) {
            return V100_PER_A100;
        }
        if (n.contains("K80")) {
            return V100_PER_A100 * K80_PER_V100;
        }
        return V100_PER_A100 * P100_PER_V100;
    }

    /** Upper case letters and digits only: {@code a100-80gb} and {@code A100 80GB} are the same model. */
    static String normalize(String gpuModel) {
        return gpuModel.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
    }
}
