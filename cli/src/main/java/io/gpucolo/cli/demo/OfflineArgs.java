package io.gpucolo.cli.demo;

import java.nio.file.Path;

/**
 * The offline evaluation's command line for the demo: a small synthetic PAI 2020 trace (1 % scale) with
 * the paper's setup (inference:training 3:1, inference duplicated on days 20 to 40), every policy, seed 1.
 */
final class OfflineArgs {
    private OfflineArgs() {
    }

    static String[] simArgs(Path out) {
        return new String[] {"sim", "--synthetic", "0.01", "--ratio", "3:1", "--burst-days", "20:40", "--out",
            out.toString(), "--seed", "1"};
    }
}
