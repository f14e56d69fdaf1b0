package io.gpucolo.node.noded;

import io.gpucolo.node.launcher.LauncherClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The outer tier's production actuator: asks the job's {@code gpucolo run} launcher to checkpoint and restart its
 * command at the new MPS share, then pauses the new child from then on (the launcher itself is never stopped, so it
 * can always answer). A job registered without a launcher socket cannot change share: the error is logged and the
 * inner tier alone keeps the SLO.
 */
public final class LauncherShareChanger implements ShareChanger {
    private final Duration timeout;

    /** @param timeout longer than the launcher's checkpoint grace plus a restart (the paper: 5–15 s) */
    public LauncherShareChanger(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public List<Long> change(String jobId, String launcherSocket, int sharePercent) throws Exception {
        if (launcherSocket == null) {
            throw new IllegalStateException("job " + jobId + " was registered without a launcher socket (not started by 'gpucolo run')");
        }
        LauncherClient client = new LauncherClient(Path.of(launcherSocket), timeout);
        client.share(sharePercent);
        return client.pids();
    }
}
