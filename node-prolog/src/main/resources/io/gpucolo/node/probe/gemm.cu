// gpucolo's GEMM kernel (CudaGemm): C_b = A_b x B_b for b = blockIdx.z, square n x n floats, one thread per element.
// Compiled at run time by NVRTC when libnvrtc loads; gemm.ptx beside it is the same kernel in PTX, for nodes without
// NVRTC (the driver compiles PTX itself). Change both together: CudaGemm checks the result at start.
extern "C" __global__ void gemm(const float* A, const float* B, float* C, int n) {
  size_t off = (size_t) blockIdx.z * n * n;
  int r = blockIdx.y * blockDim.y + threadIdx.y;
  int c = blockIdx.x * blockDim.x + threadIdx.x;
  if (r < n && c < n) {
    float s = 0;
    for (int k = 0; k < n; k++) s += A[off + r * n + k] * B[off + k * n + c];
    C[off + r * n + c] = s;
  }
}
