package io.gpucolo.node.probe;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemsetD32;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.nvrtc.JNvrtc.nvrtcCompileProgram;
import static jcuda.nvrtc.JNvrtc.nvrtcCreateProgram;
import static jcuda.nvrtc.JNvrtc.nvrtcDestroyProgram;
import static jcuda.nvrtc.JNvrtc.nvrtcGetPTX;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;

/**
 * A batched GEMM on the GPU, the inference-like (and, with a large batch, training-like) kernel of the probe and of
 * the stand-ins on a real GPU: {@code C_b = A_b x B_b} for {@code b < batch}, square {@code n x n} float matrices, one
 * thread per output element (source {@code gemm.cu}, a resource beside this class). The kernel is compiled at run time
 * with NVRTC when {@code libnvrtc} of the CUDA toolkit loads, else the driver loads the same kernel from the shipped
 * {@code gemm.ptx} ({@link #ptx}); either way one batch is checked against the known result before use. Load only
 * after {@link CudaDriver#unavailable} is empty. One CUDA context per instance: under MPS its active-thread percentage
 * is the process's at creation.
 */
final class CudaGemm implements AutoCloseable {
    private final CUcontext context = new CUcontext();
    private final CUfunction function = new CUfunction();
    private final CUdeviceptr a = new CUdeviceptr();
    private final CUdeviceptr b = new CUdeviceptr();
    private final CUdeviceptr c = new CUdeviceptr();
    private final int n;
    private final int maxBatch;

    CudaGemm(int device, int n, int maxBatch) {
        if (n < 16 || n > 8192 || maxBatch < 1 || maxBatch > 4096) {
            throw new IllegalArgumentException("n must be 16..8192 and batch 1..4096");
        }
        this.n = n;
        this.maxBatch = maxBatch;
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        CUdevice dev = new CUdevice();
        cuDeviceGet(dev, device);
        cuCtxCreate(context, 0, dev);
        CUmodule module = new CUmodule();
        cuModuleLoadData(module, ptx(System.getenv().getOrDefault("GPUCOLO_CUDA_COMPILER", "auto")));
        cuModuleGetFunction(function, module, "gemm");
        long bytes = (long) maxBatch * n * n * Sizeof.FLOAT;
        for (CUdeviceptr p : new CUdeviceptr[] {a, b, c}) {
            cuMemAlloc(p, bytes);
            cuMemsetD32(p, Float.floatToIntBits(1.0f), bytes / Sizeof.FLOAT);
        }
        check();
    }

    /**
     * The kernel's PTX. {@code mode} (environment {@code GPUCOLO_CUDA_COMPILER}): {@code auto} compiles {@code gemm.cu}
     * with NVRTC when its library loads and falls back to the shipped {@code gemm.ptx}; {@code nvrtc} insists on NVRTC;
     * {@code ptx} uses the shipped PTX only.
     */
    static String ptx(String mode) {
        if (!mode.equals("auto") && !mode.equals("nvrtc") && !mode.equals("ptx")) {
            throw new IllegalArgumentException("GPUCOLO_CUDA_COMPILER='" + mode + "': expected auto, nvrtc or ptx");
        }
        if (!mode.equals("ptx")) {
            try {
                return nvrtc(resource("gemm.cu"));
            } catch (LinkageError e) { // JCuda's NVRTC binding needs libnvrtc.so.12 of the CUDA toolkit
                if (mode.equals("nvrtc")) {
                    throw new IllegalStateException("GPUCOLO_CUDA_COMPILER=nvrtc but NVRTC does not load: "
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
                }
            }
        }
        return resource("gemm.ptx");
    }

    private static String nvrtc(String source) {
        JNvrtc.setExceptionsEnabled(true);
        nvrtcProgram prog = new nvrtcProgram();
        nvrtcCreateProgram(prog, source, "gemm.cu", 0, null, null);
        try {
            nvrtcCompileProgram(prog, 0, null);
            String[] ptx = new String[1];
            nvrtcGetPTX(prog, ptx);
            return ptx[0];
        } finally {
            nvrtcDestroyProgram(prog);
        }
    }

    private static String resource(String name) {
        try (java.io.InputStream in = CudaGemm.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + name + " beside " + CudaGemm.class.getName());
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every input is 1.0, so every output of a batch is n: a wrong kernel or a broken GPU fails here, not later. */
    private void check() {
        run(1);
        float[] first = new float[1];
        float[] last = new float[1];
        cuMemcpyDtoH(Pointer.to(first), c, Sizeof.FLOAT);
        cuMemcpyDtoH(Pointer.to(last), c.withByteOffset((long) (n * n - 1) * Sizeof.FLOAT), Sizeof.FLOAT);
        if (first[0] != n || last[0] != n) {
            throw new IllegalStateException("the GEMM kernel computed " + first[0] + " and " + last[0] + " where " + n + " was due");
        }
    }

    /** Runs one batch and waits for it; returns the wall time in milliseconds. */
    double run(int batch) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch must be 1.." + maxBatch + ", got " + batch);
        }
        Pointer params = Pointer.to(Pointer.to(a), Pointer.to(b), Pointer.to(c), Pointer.to(new int[] {n}));
        int blocks = (n + 15) / 16;
        cuCtxSetCurrent(context); // the stand-ins launch from their own worker thread, not the creating one
        long t0 = System.nanoTime();
        cuLaunchKernel(function, blocks, blocks, batch, 16, 16, 1, 0, null, params, null);
        cuCtxSynchronize();
        return (System.nanoTime() - t0) / 1e6;
    }

    @Override
    public void close() {
        cuCtxSetCurrent(context);
        cuMemFree(a);
        cuMemFree(b);
        cuMemFree(c);
        cuCtxDestroy(context);
    }
}
