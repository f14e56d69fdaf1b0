package io.gpucolo.node.emu;

import java.util.concurrent.CompletableFuture;

/** Where a stand-in's kernels run: the emulated GPU ({@link EmuGpuClient}) or a real one ({@link CudaBackend}). */
interface GpuBackend extends AutoCloseable {
    int capPercent();

    CompletableFuture<EmuGpuClient.Done> submitBatch(int batch);

    CompletableFuture<EmuGpuClient.Done> submitWork(double workMs);

    @Override
    void close();
}
