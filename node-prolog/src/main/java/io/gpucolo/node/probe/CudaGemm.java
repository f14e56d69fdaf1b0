package io.gpucolo.node.probe;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
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
 * thread per output element, compiled at run time with NVRTC (needs {@code libnvrtc} of the CUDA toolkit beside the
 * driver). Load only after {@link CudaDriver#unavailable} is empty. One CUDA context per instance: under MPS its
 * active-thread percentage is the process's at creation.
 */
final class CudaGemm implements AutoCloseable {
    static final String SOURCE = "extern \"C\" __global__ void gemm(const float* A, const float* B, float* C, int n) {\n"
            + "  size_t off = (size_t) blockIdx.z * n * n;\n"
            + "  int r = blockIdx.y * blockDim.y + threadIdx.y;\n"
            + "  int c = blockIdx.x * blockDim.x + threadIdx.x;\n"
            + "  if (r < n && c < n) {\n"
            + "    float s = 0;\n"
            + "    for (int k = 0; k < n; k++) s += A[off + r * n + k] * B[off + k * n + c];\n"
            + "    C[off + r * n + c] = s;\n"
            + "  }\n"
            + "}\n";
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
        JNvrtc.setExceptionsEnabled(true);
        cuInit(0);
        CUdevice dev = new CUdevice();
        cuDeviceGet(dev, device);
        cuCtxCreate(context, 0, dev);
        nvrtcProgram prog = new nvrtcProgram();
        nvrtcCreateProgram(prog, SOURCE, "gemm.cu", 0, null, null);
        nvrtcCompileProgram(prog, 0, null);
        String[] ptx = new String[1];
        nvrtcGetPTX(prog, ptx);
        nvrtcDestroyProgram(prog);
        CUmodule module = new CUmodule();
        cuModuleLoadData(module, ptx[0]);
        cuModuleGetFunction(function, module, "gemm");
        long bytes = (long) maxBatch * n * n * Sizeof.FLOAT;
        for (CUdeviceptr p : new CUdeviceptr[] {a, b, c}) {
            cuMemAlloc(p, bytes);
            cuMemsetD32(p, Float.floatToIntBits(1.0f), bytes / Sizeof.FLOAT);
        }
    }

    /** Runs one batch and waits for it; returns the wall time in milliseconds. */
    double run(int batch) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch must be 1.." + maxBatch + ", got " + batch);
        }
        Pointer params = Pointer.to(Pointer.to(a), Pointer.to(b), Pointer.to(c), Pointer.to(new int[] {n}));
        int blocks = (n + 15) / 16;
        long t0 = System.nanoTime();
        cuLaunchKernel(function, blocks, blocks, batch, 16, 16, 1, 0, null, params, null);
        cuCtxSynchronize();
        return (System.nanoTime() - t0) / 1e6;
    }

    @Override
    public void close() {
        cuMemFree(a);
        cuMemFree(b);
        cuMemFree(c);
        cuCtxDestroy(context);
    }
}
