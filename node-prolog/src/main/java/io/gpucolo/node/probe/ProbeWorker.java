package io.gpucolo.node.probe;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * The probe's measuring processes (one per grid cell, because an MPS share is fixed when the CUDA context is
 * created). {@code infer}: runs {@code iterations} batches after a warm-up and prints
 * {@code result mean_ms=X p99_ms=Y}. {@code train}: runs large batches back to back, sleeping so that the GPU is busy
 * a fraction {@code duty} of the time, until killed. Load only after {@link CudaDriver#unavailable} is empty.
 */
final class ProbeWorker {
    /** What the training worker prints once its load runs; the profile waits for it. */
    static final String RUNNING = "training load running";

    private ProbeWorker() {
    }

    static int infer(int device, int n, int batch, int iterations, PrintStream out) {
        try (CudaGemm g = new CudaGemm(device, n, batch)) {
            for (int i = 0; i < 5; i++) {
                g.run(batch);
            }
            double[] t = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                t[i] = g.run(batch);
            }
            Arrays.sort(t);
            double mean = Arrays.stream(t).average().orElse(Double.NaN);
            double p99 = t[Math.min(t.length - 1, (int) Math.ceil(0.99 * t.length) - 1)];
            out.printf(Locale.ROOT, "result mean_ms=%.6f p99_ms=%.6f%n", mean, p99);
            out.flush();
            return 0;
        }
    }

    static int train(int device, int n, int batch, double duty, PrintStream out) throws InterruptedException {
        try (CudaGemm g = new CudaGemm(device, n, batch)) {
            g.run(batch);
            out.println(RUNNING);
            out.flush();
            while (true) {
                double ms = g.run(batch);
                if (duty < 1) {
                    Thread.sleep((long) Math.ceil(ms * (1 - duty) / duty));
                }
            }
        }
    }
}
