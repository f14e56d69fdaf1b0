package io.gpucolo.admission.plugins;

import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.pipeline.Score;
import io.gpucolo.admission.state.GpuState;

/**
 * Score, best fit: prefer the GPU that is left fullest, in training share and in memory, so that large
 * holes stay open for large requests.
 * <pre>
 *   score = round( (100 - shareLeft) / 2 + 50 * memoryUsedAfter / memoryTotal )
 * </pre>
 * with {@code shareLeft = free - granted} (0..100). Range 0..100.
 */
final class TightFit implements Score {
    @Override
    public String name() {
        return "tight-fit";
    }

    @Override
    public int score(TrainingRequest request, int grantedPercent, GpuState gpu, int freePercent) {
        int shareLeft = Math.max(0, Math.min(100, freePercent - grantedPercent));
        double memUsed = Math.min(1.0, (double) (gpu.usedMemoryMiB() + request.memoryMiB()) / gpu.gpu().memoryMiB());
        return (int) Math.round((100 - shareLeft) / 2.0 + 50 * memUsed);
    }
}
