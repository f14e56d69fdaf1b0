package io.gpucolo.admitd.bench;

import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.model.Cluster;
import io.gpucolo.admission.model.InferenceService;
import io.gpucolo.admission.model.ServiceLoad;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.GpuState;
import io.gpucolo.admission.state.ResidentService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The admission benchmark's workload, reproducible from its seed: inference services placed on random GPUs
 * of a cluster (at most two per GPU, memory permitting) with a load that keeps each GPU 5-50% busy, and a
 * queue of training requests (share 10-60% in steps of 5, memory 2-12 GiB, half restartable).
 *
 * <p>Service SLOs are 8x the service's solo batch latency on the slowest GPU model of the cluster, so every
 * GPU can hold some service and the headroom differs from GPU to GPU.
 */
final class AdmissionWorkload {
    private static final String[] MODELS = {"resnet50", "bert", "vgg16", "mobilenetv2", "inceptionv3", "densenet121"};
    private static final int[] BATCHES = {1, 4, 8, 16};

    private AdmissionWorkload() {
    }

    /** The service catalog: one service per model profile the latency model knows, at batch 8. */
    static List<InferenceService> services(LatencyModel model, Cluster cluster) {
        List<InferenceService> out = new ArrayList<>();
        for (String m : MODELS) {
            if (!model.knows(m)) {
                continue;
            }
            double slowest = 0;
            for (var g : cluster.gpus()) {
                slowest = Math.max(slowest, model.soloBatchLatencyMs(m, g.model(), 8));
            }
            out.add(new InferenceService(m + "-svc", 8 * slowest, Set.of("*"), m, new ServiceLoad(100, 8),
                    m.equals("bert") || m.equals("vgg16") ? 4096 : 2048));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("the latency model knows none of " + String.join(", ", MODELS));
        }
        return out;
    }

    /** Places {@code count} services; returns how many GPUs hold at least one. */
    static int placeServices(ClusterState state, LatencyModel model, List<InferenceService> catalog, int count,
                             RandomGenerator rnd) {
        int placed = 0;
        int attempts = 0;
        while (placed < count) {
            if (++attempts > count * 50) {
                throw new IllegalStateException("cannot place " + count + " services on " + state.gpuCount() + " GPUs");
            }
            int o = rnd.nextInt(state.gpuCount());
            GpuState g = state.at(o);
            InferenceService s = catalog.get(rnd.nextInt(catalog.size()));
            if (g.services().size() >= 2 || g.usedMemoryMiB() + s.memoryMiB() > g.gpu().memoryMiB() / 2) {
                continue;
            }
            int batch = BATCHES[rnd.nextInt(BATCHES.length)];
            double busy = 0.05 + 0.45 * rnd.nextDouble();
            double rps = busy * batch * 1000 / model.soloBatchLatencyMs(s.modelName(), g.gpu().model(), batch);
            state.addService(g.gpu().id(), new ResidentService("svc-" + placed, s, new ServiceLoad(rps, batch)));
            placed++;
        }
        int withService = 0;
        for (int i = 0; i < state.gpuCount(); i++) {
            withService += state.at(i).hasInference() ? 1 : 0;
        }
        return withService;
    }

    /** {@code count} training requests named {@code prefix-N}. */
    static List<TrainingRequest> requests(String prefix, int count, RandomGenerator rnd) {
        List<TrainingRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int share = 10 + 5 * rnd.nextInt(11);
            long memory = 1024L * (2 + rnd.nextInt(11));
            out.add(new TrainingRequest(prefix + "-" + i, "user" + rnd.nextInt(100), share, memory,
                    Duration.ofMinutes(10 + rnd.nextInt(600)), rnd.nextBoolean(), "", "", ""));
        }
        return out;
    }
}
