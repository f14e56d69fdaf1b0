package io.gpucolo.cli.demo;

import io.gpucolo.cli.Main;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The demo's fallback where the live lab cannot run: the offline evaluation ({@code gpucolo sim}) on a
 * small synthetic trace, writing its report to the demo's report folder.
 */
final class OfflineDemo {
    private OfflineDemo() {
    }

    static int run(Path out, PrintStream con) {
        if (!DemoWiring.inBuild("sim")) {
            con.println("gpucolo demo: the offline evaluation (gpucolo sim) is not part of this build");
            return 1;
        }
        int rc = Main.execute(OfflineArgs.simArgs(out));
        if (rc == 0) {
            con.println("report: " + out.resolve("report.html"));
        }
        return rc;
    }
}
