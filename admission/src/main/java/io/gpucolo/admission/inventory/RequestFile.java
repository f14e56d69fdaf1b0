package io.gpucolo.admission.inventory;

import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.yaml.Diagnostics;
import io.gpucolo.admission.yaml.DocumentKind;
import io.gpucolo.admission.yaml.Problem;
import io.gpucolo.admission.yaml.Section;
import io.gpucolo.admission.yaml.YamlSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

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
 * It is read with the policy file's hardened reader; every problem is reported as {@code FILE:LINE:COLUMN: message}.
 */
public final class RequestFile {
    /** A request file: at most 64 KiB, a mapping of the keys above. */
    public static final DocumentKind KIND = new DocumentKind("request file", 64 * 1024,
            "a mapping of keys (owner:, share_percent:, memory_mib:, ...)", "expected owner:, share_percent: and memory_mib:");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern OPT_IDENT = Pattern.compile("[A-Za-z0-9._-]{0,64}");
    private static final String IDENT_TEXT = "a name (letters, digits, '.', '_', '-')";

    private RequestFile() {
    }

    /** Reads {@code path}; throws {@link InventoryException} listing every problem. */
    public static TrainingRequest read(Path path) {
        Diagnostics diag = new Diagnostics(path.toString());
        byte[] bytes = YamlSource.read(path, diag, KIND);
        if (bytes == null) {
            throw failure(diag);
        }
        return parse(bytes, diag);
    }

    /** Reads request-file text; {@code file} names it in messages. */
    public static TrainingRequest parse(String text, String file) {
        return parse(text.getBytes(StandardCharsets.UTF_8), new Diagnostics(file));
    }

    private static TrainingRequest parse(byte[] bytes, Diagnostics diag) {
        org.yaml.snakeyaml.nodes.Node root = YamlSource.parse(bytes, diag, KIND);
        Section m = diag.clean() ? Section.root(root, diag, KIND) : null;
        if (!diag.clean()) {
            throw failure(diag);
        }
        String job = m.string("job", "dry-run", IDENT, IDENT_TEXT);
        String owner = m.string("owner", null, IDENT, "a user name");
        int share = m.integer("share_percent", null, 1, 100);
        long memory = m.wholeNumber("memory_mib", null, 1, 1L << 24);
        long seconds = m.wholeNumber("duration_s", 3600L, 1, 366L * 86_400);
        boolean restartable = m.bool("restartable", false);
        String partition = m.string("partition", "", OPT_IDENT, IDENT_TEXT);
        String qos = m.string("qos", "", OPT_IDENT, IDENT_TEXT);
        String account = m.string("account", "", OPT_IDENT, IDENT_TEXT);
        m.finish();
        if (diag.clean()) {
            try {
                return new TrainingRequest(job, owner, share, memory, Duration.ofSeconds(seconds), restartable, partition,
                        qos, account);
            } catch (IllegalArgumentException e) {
                diag.at(m.start(), e.getMessage());
            }
        }
        throw failure(diag);
    }

    private static InventoryException failure(Diagnostics diag) {
        return new InventoryException(diag.problems().stream().map(Problem::toString).toList());
    }
}
