package io.gpucolo.admission.cli;

import io.gpucolo.admission.latency.CalibratedLatencyModel;
import io.gpucolo.admission.policy.LatencyFloor;
import io.gpucolo.admission.policy.LoadResult;
import io.gpucolo.admission.policy.LoadedPolicy;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.policy.PolicyLoader;
import io.gpucolo.admission.yaml.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gpucolo policy ...}: work with the policy file. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Work with the policy file.",
        subcommands = {PolicyCommand.Check.class})
public final class PolicyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /**
     * {@code gpucolo policy check FILE}: exit 0 and a one-line summary for a valid file; exit 2 and one
     * {@code FILE:LINE:COLUMN: message} line per problem otherwise.
     */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate a policy file: prints FILE:LINE:COLUMN: message per problem (exit 2), "
                    + "or a one-line summary (exit 0).")
    public static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the policy file, e.g. /etc/gpucolo/gpucolo.yaml")
        Path file;

        @CommandLine.Option(names = "--gpu-model", paramLabel = "MODEL", defaultValue = "A100",
                description = "GPU model(s) the SLO floor is taken over, repeatable: pass the site's fastest "
                        + "(default: ${DEFAULT-VALUE}, the profiled GPU)")
        List<String> gpuModels;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            LatencyFloor floor = LatencyFloor.of(CalibratedLatencyModel.builtIn(), gpuModels);
            LoadResult result = new PolicyLoader(floor).load(file);
            if (result instanceof LoadResult.Valid v) {
                out.println(summary(v.loaded()));
                out.flush();
                return 0;
            }
            var problems = ((LoadResult.Invalid) result).problems();
            for (Problem p : problems) {
                out.println(p);
            }
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.println(file + ": " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ", policy refused");
            err.flush();
            return 2;
        }

        static String summary(LoadedPolicy loaded) {
            Policy p = loaded.policy();
            return loaded.source() + ": OK, version " + loaded.version() + ": " + p.services().size() + " service"
                    + (p.services().size() == 1 ? "" : "s") + ", placement " + p.placement().plugin().key()
                    + ", admitd fails " + p.failure().admitd().mode().key() + " after "
                    + p.failure().admitd().deadline().toMillis() + " ms, controller "
                    + p.controller().innerPeriod().toMillis() + "/" + p.controller().outerPeriod().toMillis() + " ms";
        }
    }
}
