package io.gpucolo.admission.inventory;

import io.gpucolo.admission.model.TrainingRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a training request for a dry run from a small YAML file:
 * <pre>
 *   job: dry-run-1          # default dry-run
 *   owner: alice            # required
 *   share_percent: 30       # required, 1..100
 *   memory_mib: 8192        # required, positive
 *   duration_s: 7200        # default 3600
 *   restartable: true       # default false
 *   partition: gpu          # optional, like qos and account
 * </pre>
 * Every problem is reported as {@code FILE:LINE:COLUMN: message}.
 */
public final class RequestFile {
    private static final Set<String> KEYS = Set.of("job", "owner", "share_percent", "memory_mib", "duration_s",
            "restartable", "partition", "qos", "account");

    private static final int MAX_CHARS = 64 * 1024;

    private RequestFile() {
    }

    public static TrainingRequest read(Path path) {
        String text;
        try {
            if (Files.size(path) > MAX_CHARS) {
                throw new InventoryException(List.of(path + ":1:1: a request file may be at most 64 KiB"));
            }
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InventoryException(List.of(path + ":1:1: no such file"));
        } catch (IOException e) {
            throw new InventoryException(List.of(path + ":1:1: cannot read: " + e.getMessage()));
        }
        return parse(text, path.toString());
    }

    public static TrainingRequest parse(String text, String file) {
        List<String> problems = new ArrayList<>();
        org.yaml.snakeyaml.nodes.Node root = YamlMap.compose(text, file, MAX_CHARS);
        YamlMap m = YamlMap.of(root, "a request file", KEYS, file, problems);
        if (m == null) {
            throw new InventoryException(problems);
        }
        String job = m.has("job") ? m.string("job", true) : "dry-run";
        String owner = m.string("owner", true);
        Long share = m.whole("share_percent", 1, 100, null);
        Long memory = m.whole("memory_mib", 1, 1L << 24, null);
        Long seconds = m.whole("duration_s", 1, 366L * 86_400, 3600L);
        Boolean restartable = m.bool("restartable", false);
        String partition = m.has("partition") ? m.string("partition", false) : "";
        String qos = m.has("qos") ? m.string("qos", false) : "";
        String account = m.has("account") ? m.string("account", false) : "";
        m.finish();
        if (problems.isEmpty()) {
            try {
                return new TrainingRequest(job, owner, share.intValue(), memory, Duration.ofSeconds(seconds),
                        restartable, partition, qos, account);
            } catch (IllegalArgumentException e) {
                problems.add(YamlMap.where(file, root.getStartMark()) + e.getMessage());
            }
        }
        throw new InventoryException(problems);
    }
}
