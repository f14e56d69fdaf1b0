package io.gpucolo.node.probe;

import java.util.Map;
import java.util.Optional;

/**
 * Real CUDA kernels for the stand-ins ({@code emu-infer}, {@code emu-train}) on a machine with a GPU: the same batched
 * GEMM as the probe. {@link #unavailable} is safe everywhere; {@link #open} loads JCuda and may only be called when it
 * returned empty.
 */
public final class CudaKernels {
    private CudaKernels() {
    }

    /** Empty when the NVIDIA driver loads; otherwise why not. Loads no jcuda class. */
    public static Optional<String> unavailable(Map<String, String> env) {
        return CudaDriver.unavailable(env);
    }

    /** One CUDA context on {@code device} (its MPS share is the process's at this moment). */
    public interface Stream extends AutoCloseable {
        /** Runs an inference batch of {@code batch} requests (GEMMs of n x n); returns its wall time in ms. */
        double runBatch(int batch);

        /** Runs about {@code workMs} of training-like work (calibrated GEMM batches); returns its wall time in ms. */
        double runWork(double workMs);

        @Override
        void close();
    }

    public static Stream open(int device, int n, int maxBatch) {
        return new GemmStream(device, n, maxBatch);
    }

    private static final class GemmStream implements Stream {
        private static final int TRAIN_BATCH = 64;
        private final CudaGemm gemm;
        private final double trainBatchMs;

        GemmStream(int device, int n, int maxBatch) {
            gemm = new CudaGemm(device, n, Math.max(maxBatch, TRAIN_BATCH));
            gemm.run(TRAIN_BATCH);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                best = Math.min(best, gemm.run(TRAIN_BATCH));
            }
            trainBatchMs = Math.max(0.01, best);
        }

        @Override
        public double runBatch(int batch) {
            return gemm.run(batch);
        }

        @Override
        public double runWork(double workMs) {
            long reps = Math.max(1, Math.round(workMs / trainBatchMs));
            double t = 0;
            for (long i = 0; i < reps; i++) {
                t += gemm.run(TRAIN_BATCH);
            }
            return t;
        }

        @Override
        public void close() {
            gemm.close();
        }
    }
}
