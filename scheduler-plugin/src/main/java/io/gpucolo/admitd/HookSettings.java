package io.gpucolo.admitd;

import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.policy.Policy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@code gpucolo-hook.conf}, the settings the Lua hook reads (it must know them even when admitd is
 * down): port, Unix socket (the fast path, when admitd listens on one), secret file, deadline, failure mode, the conventions, the uids that may hold and release gpucolo's
 * jobs (root and {@code admitd.allowed_peer}, SlurmUser), and the GPUs per node for the
 * whole-GPU guard. Written atomically (temporary file, then rename) from the policy on start and on reload.
 */
final class HookSettings {
    private HookSettings() {
    }

    static String render(Policy p, int port, Path socket, Path secretFile, List<GpuId> gpus, java.util.Set<Integer> adminUids) {
        StringBuilder sb = new StringBuilder("# written by gpucolo admitd from the policy; do not edit\n");
        sb.append("port=").append(port).append('\n');
        if (socket != null) {
            sb.append("socket=").append(socket.toAbsolutePath()).append('\n');
        }
        sb.append("secret_file=").append(secretFile.toAbsolutePath()).append('\n');
        sb.append("deadline_ms=").append(p.failure().admitd().deadline().toMillis()).append('\n');
        sb.append("fail_mode=").append(p.failure().admitd().mode().key()).append('\n');
        sb.append("fail_open_partition=").append(p.slurm().dedicatedPartition()).append('\n');
        sb.append("service_prefix=").append(p.slurm().servicePrefix()).append('\n');
        sb.append("training_comment=").append(p.slurm().trainingComment()).append('\n');
        sb.append("training_qos=").append(p.slurm().trainingQos()).append('\n');
        sb.append("admin_uids=").append(String.join(",", new java.util.TreeSet<>(adminUids).stream().map(String::valueOf)
                .toList())).append('\n');
        Map<String, Integer> perNode = new TreeMap<>();
        for (GpuId g : gpus) {
            perNode.merge(g.node(), g.index() + 1, Math::max);
        }
        perNode.forEach((n, c) -> sb.append("gpus.").append(n).append('=').append(c).append('\n'));
        return sb.toString();
    }

    static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
