package io.gpucolo.node.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's shipped PTX, for nodes without NVRTC: packaged, selectable, and valid for the CUDA assembler. */
class CudaGemmTest {
    @TempDir
    Path dir;

    @Test
    void thePtxModeUsesTheShippedKernelWithoutLoadingNvrtc() {
        String ptx = CudaGemm.ptx("ptx");
        assertTrue(ptx.contains(".visible .entry gemm(") && ptx.contains(".target sm_50"), ptx);
    }

    @Test
    void anUnknownCompilerModeIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaGemm.ptx("clang"));
        assertEquals("GPUCOLO_CUDA_COMPILER='clang': expected auto, nvrtc or ptx", e.getMessage());
    }

    @Test
    void theShippedPtxAssemblesForHopperWithTheCudaToolkit() throws Exception {
        String ptxas = null;
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "ptxas"))) {
                ptxas = Path.of(d, "ptxas").toString();
                break;
            }
        }
        Assumptions.assumeTrue(ptxas != null, "no ptxas (CUDA toolkit) on PATH: the assembler check needs it");
        Path src = dir.resolve("gemm.ptx");
        Files.writeString(src, CudaGemm.ptx("ptx"));
        Path log = dir.resolve("ptxas.log");
        Process p = new ProcessBuilder(List.of(ptxas, "-arch=sm_90", src.toString(), "-o", dir.resolve("gemm.cubin").toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ptxas hung");
        assertEquals(0, p.exitValue(), Files.readString(log));
        assertTrue(Files.size(dir.resolve("gemm.cubin")) > 0);
    }
}
