package io.gpucolo.node.emu;

import io.gpucolo.node.probe.CudaKernels;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stand-ins on a real GPU: kernels run through JCuda (batched GEMM, {@link CudaKernels}) on one worker thread, in
 * submission order like one CUDA stream; latencies are measured wall times. The MPS share is whatever the real MPS
 * daemon applies to this process ({@code CUDA_MPS_ACTIVE_THREAD_PERCENTAGE} at context creation).
 */
final class CudaBackend implements GpuBackend {
    private final CudaKernels.Stream stream;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cuda-stream");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong tags = new AtomicLong();
    private final int cap;

    CudaBackend(int device, int maxBatch, int cap) {
        this.stream = CudaKernels.open(device, 512, maxBatch);
        this.cap = cap;
    }

    @Override
    public int capPercent() {
        return cap;
    }

    @Override
    public CompletableFuture<EmuGpuClient.Done> submitBatch(int batch) {
        return submit(() -> stream.runBatch(batch));
    }

    @Override
    public CompletableFuture<EmuGpuClient.Done> submitWork(double workMs) {
        return submit(() -> stream.runWork(workMs));
    }

    private CompletableFuture<EmuGpuClient.Done> submit(java.util.function.DoubleSupplier kernel) {
        long tag = tags.incrementAndGet();
        long t0 = System.nanoTime();
        return CompletableFuture.supplyAsync(() -> {
            double run = kernel.getAsDouble();
            return new EmuGpuClient.Done(tag, (System.nanoTime() - t0) / 1e6, run);
        }, worker);
    }

    @Override
    public void close() {
        worker.shutdownNow();
        stream.close();
    }
}
