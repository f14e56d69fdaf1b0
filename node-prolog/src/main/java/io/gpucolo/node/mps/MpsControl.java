package io.gpucolo.node.mps;

import java.util.List;

/**
 * The MPS control daemon of one GPU, as the hooks drive it. One implementation, {@link CliMpsControl}, runs
 * {@code nvidia-cuda-mps-control} (NVIDIA's, or the emulated stand-in at a configured absolute path: the same code
 * path either way).
 */
public interface MpsControl {
    /** True when the GPU's control daemon runs (its pid file names a live process, or it answers a command). */
    boolean running(int gpu);

    /** Starts the GPU's control daemon with its own pipe and log directories; {@link MpsException} on failure. */
    void start(int gpu) throws MpsException;

    /** Sends control commands (one per line) and returns the output lines. */
    List<String> command(int gpu, String... commands) throws MpsException;

    /** Asks the daemon to quit and waits up to the configured timeout for it to exit. */
    void quit(int gpu) throws MpsException;
}
