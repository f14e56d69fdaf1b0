package io.gpucolo.admitd.cli;

import io.gpucolo.admitd.protocol.HookClient;
import io.gpucolo.admitd.protocol.ProtocolException;
import io.gpucolo.admitd.protocol.Reply;
import io.gpucolo.admitd.protocol.Request;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo status}: per node and GPU, the inference services (with SLO and load), the training guests
 * (share, memory), the share still allowed (headroom) and whole-GPU jobs, from the running admitd. Exit 1 when
 * admitd does not answer.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show services, guests and headroom per GPU, from the running admitd.")
public final class StatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--hook-conf", paramLabel = "FILE", defaultValue = "/etc/slurm/gpucolo-hook.conf",
            description = "the hook settings admitd wrote (port, secret file; default: ${DEFAULT-VALUE})")
    Path hookConf;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            HookConf c = HookConf.read(hookConf);
            Reply r = new HookClient(c.port(), Secrets.read(c.secretFile()), Duration.ofSeconds(5))
                    .ask(new Request("status", Map.of()));
            if (!r.verdict().equals("ok")) {
                err.println("gpucolo status: admitd answered " + r.verdict() + ": " + r.field("msg").orElse(""));
                err.flush();
                return 1;
            }
            out.println("policy " + r.field("policy").orElse("?") + "; following " + r.field("following").orElse("?")
                    + " decisions, " + r.field("held").orElse("?") + " held job(s) waiting for room; "
                    + r.field("requests").orElse("?") + " requests served, p50 " + r.field("service_p50_ms").orElse("?")
                    + " ms, p99 " + r.field("service_p99_ms").orElse("?") + " ms");
            r.field("stages_p99_ms").ifPresent(v -> out.println("  request stages p99 ms: " + v
                    + "; journal fsync p50,p99,max ms: " + r.field("journal_fsync_p50_p99_max_ms").orElse("?")
                    + "; hook thread: " + r.field("hook_thread").orElse("?")));
            r.fields().forEach((k, v) -> {
                if (k.startsWith("gpu")) {
                    out.println("  " + v);
                }
            });
            out.flush();
            return 0;
        } catch (NoSuchFileException e) {
            err.println("gpucolo status: " + e.getFile() + ": no such file (is admitd configured? see --hook-conf)");
        } catch (IOException e) {
            err.println("gpucolo status: admitd does not answer: " + e.getMessage());
        } catch (ProtocolException e) {
            err.println("gpucolo status: bad reply from admitd: " + e.getMessage());
        }
        err.flush();
        return 1;
    }
}
