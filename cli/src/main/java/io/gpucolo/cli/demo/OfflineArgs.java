package io.gpucolo.cli.demo;

import java.nio.file.Path;

/** The offline evaluation's command line for the demo: a small synthetic trace, every policy, seed 1. */
final class OfflineArgs {
    private OfflineArgs() {
    }

    static String[] simArgs(Path out) {
        return new String[] {"sim", "--out", out.toString(), "--seed", "1"};
    }
}
