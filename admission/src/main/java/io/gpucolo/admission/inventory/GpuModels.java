package io.gpucolo.admission.inventory;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Known GPU models: nominal memory and SM count, and how the PAI 2020 trace's {@code gpu_type} values map
 * onto them.
 *
 * <table>
 *   <caption>GPU models</caption>
 *   <tr><th>model</th><th>memory MiB</th><th>SMs</th><th>PAI gpu_type</th><th>note</th></tr>
 *   <tr><td>H100-80GB</td><td>81920</td><td>132</td><td></td><td>SXM</td></tr>
 *   <tr><td>A100-80GB</td><td>81920</td><td>108</td><td></td><td>the ParvaGPU profiles' GPU</td></tr>
 *   <tr><td>A100-40GB</td><td>40960</td><td>108</td><td></td><td></td></tr>
 *   <tr><td>V100-32GB</td><td>32768</td><td>80</td><td>V100M32</td><td></td></tr>
 *   <tr><td>V100-16GB</td><td>16384</td><td>80</td><td>V100</td><td></td></tr>
 *   <tr><td>P100-16GB</td><td>16384</td><td>56</td><td>P100</td><td></td></tr>
 *   <tr><td>T4-16GB</td><td>15360</td><td>40</td><td>T4</td><td>memory as nvidia-smi reports it</td></tr>
 *   <tr><td>RTX3090</td><td>24576</td><td>82</td><td></td><td>the paper's testbed GPU</td></tr>
 *   <tr><td>MISC</td><td>12288</td><td>24</td><td>MISC</td><td>assumed: the trace lumps older GPUs
 *       (K40/K80/M40/P4 generation) under MISC without saying which; we take a 12 GiB, 24-SM card (M40 12GB)
 *       so that nothing is admitted that the smallest of them could not hold</td></tr>
 * </table>
 * Memory is the nominal size in MiB; the policy's {@code limits.memory_reserve_mib} keeps room for what the
 * driver and MPS take.
 */
public final class GpuModels {
    /** Memory and SM count of one model. */
    public record Spec(String model, long memoryMiB, int smCount) { }

    private static final Map<String, Spec> BY_NAME = Map.of(
            "H100-80GB", new Spec("H100-80GB", 81920, 132),
            "A100-80GB", new Spec("A100-80GB", 81920, 108),
            "A100-40GB", new Spec("A100-40GB", 40960, 108),
            "V100-32GB", new Spec("V100-32GB", 32768, 80),
            "V100-16GB", new Spec("V100-16GB", 16384, 80),
            "P100-16GB", new Spec("P100-16GB", 16384, 56),
            "T4-16GB", new Spec("T4-16GB", 15360, 40),
            "RTX3090", new Spec("RTX3090", 24576, 82),
            "MISC", new Spec("MISC", 12288, 24));

    private static final Map<String, String> PAI_TYPES = Map.of(
            "V100", "V100-16GB",
            "V100M32", "V100-32GB",
            "P100", "P100-16GB",
            "T4", "T4-16GB",
            "MISC", "MISC");

    private GpuModels() {
    }

    /** A model by its name (case-insensitive). */
    public static Optional<Spec> byName(String model) {
        return Optional.ofNullable(BY_NAME.get(model.toUpperCase(Locale.ROOT)));
    }

    /** The model behind a PAI 2020 {@code gpu_type} value; empty for {@code CPU} and unknown values. */
    public static Optional<Spec> forPaiType(String gpuType) {
        String name = PAI_TYPES.get(gpuType);
        return name == null ? Optional.empty() : Optional.of(BY_NAME.get(name));
    }

    /** The PAI 2020 {@code gpu_type} values that name GPUs, sorted. */
    public static java.util.List<String> paiTypes() {
        return PAI_TYPES.keySet().stream().sorted().toList();
    }

    /** The known model names, sorted. */
    public static java.util.List<String> names() {
        return BY_NAME.keySet().stream().sorted().toList();
    }
}
