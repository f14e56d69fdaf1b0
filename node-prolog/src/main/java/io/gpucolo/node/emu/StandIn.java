package io.gpucolo.node.emu;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * How a stand-in process opens its "CUDA context" on the emulated GPU, as the CUDA driver would: if an MPS
 * control daemon (the emulated one) listens in the pipe directory, the client asks it for a grant (which applies
 * the server's limits and the one-server-per-user rule, possibly waiting) and joins that server's context; if
 * {@code CUDA_MPS_PIPE_DIRECTORY} names a directory with no daemon, the client runs outside MPS in a context of its
 * own (time-sliced against the others); with neither, it joins the default MPS context at its environment's cap.
 */
final class StandIn {
    private StandIn() {
    }

    /** An open context: the GPU client and, under MPS, the grant that must stay open while the client lives. */
    record Context(GpuBackend gpu, MpsGrant grant) implements AutoCloseable {
        @Override
        public void close() {
            gpu.close();
            if (grant != null) {
                grant.close();
            }
        }
    }

    /**
     * {@code GPUCOLO_GPU_BACKEND}: {@code emu} (default) uses the emulated GPU; {@code cuda} runs real kernels through
     * JCuda on {@code CUDA_VISIBLE_DEVICES}'s first device (under the real MPS daemon when the environment names one);
     * {@code auto} picks {@code cuda} when the NVIDIA driver loads.
     */
    static Context open(Map<String, String> env, ClientKind kind, String model, int batch, long memoryMiB)
            throws IOException {
        String backend = env.getOrDefault("GPUCOLO_GPU_BACKEND", "emu");
        if (!backend.equals("emu") && !backend.equals("cuda") && !backend.equals("auto")) {
            throw new IllegalArgumentException("GPUCOLO_GPU_BACKEND='" + backend + "': expected emu, cuda or auto");
        }
        java.util.Optional<String> noCuda = backend.equals("emu") ? java.util.Optional.of("emu")
                : io.gpucolo.node.probe.CudaKernels.unavailable(env);
        if (backend.equals("cuda") && noCuda.isPresent()) {
            throw new IOException("GPUCOLO_GPU_BACKEND=cuda but " + noCuda.get());
        }
        if (noCuda.isEmpty()) {
            ClientEnv ce = ClientEnv.from(env);
            try {
                return new Context(new CudaBackend(0, batch, ce.capPercent()), null);
            } catch (LinkageError | RuntimeException e) {
                throw new IOException("CUDA failed: " + e);
            }
        }
        ClientEnv ce = ClientEnv.from(env);
        long pid = ProcessHandle.current().pid();
        if (ce.memLimitMiB() > 0 && memoryMiB > ce.memLimitMiB()) {
            throw new IOException("out of memory: the client needs " + memoryMiB
                    + " MiB but CUDA_MPS_PINNED_DEVICE_MEM_LIMIT allows " + ce.memLimitMiB() + " MiB on GPU " + ce.gpuIndex());
        }
        MpsGrant grant = null;
        String context;
        int cap = ce.capPercent();
        int gpuIndex = ce.gpuIndex();
        if (Files.exists(ce.pipeDirectory().resolve(MpsGrant.CONTROL_SOCKET))) {
            grant = MpsGrant.request(ce.pipeDirectory(), pid, cap, memoryMiB, ce.gpuIndex());
            context = "mps:" + grant.serverPid();
            cap = grant.capPercent();
            gpuIndex = grant.gpu();
        } else if (ce.pipeDirectoryExplicit()) {
            context = "native:" + pid;
        } else {
            context = "mps:default";
        }
        try {
            EmuGpuClient gpu = EmuGpuClient.connect(ce.gpuSocket(),
                    new EmuGpuClient.Hello(gpuIndex, kind, pid, cap, memoryMiB, model, batch, context));
            return new Context(gpu, grant);
        } catch (IOException e) {
            if (grant != null) {
                grant.close();
            }
            throw e;
        }
    }
}
