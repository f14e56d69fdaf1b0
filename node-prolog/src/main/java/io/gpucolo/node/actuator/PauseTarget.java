package io.gpucolo.node.actuator;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a pause acts on: a set of processes (stopped with SIGSTOP, resumed with SIGCONT, children included) or a cgroup
 * (frozen through the v1 freezer's {@code freezer.state} or v2's {@code cgroup.freeze}). Its text form, used in the
 * lease state file and the watchdog protocol, is {@code pids:1,2,3}, {@code freezer-v1:/path} or
 * {@code freezer-v2:/path}.
 */
public sealed interface PauseTarget {
    /** The text form. */
    String key();

    record Pids(List<Long> pids) implements PauseTarget {
        public Pids {
            pids = List.copyOf(pids);
            if (pids.isEmpty()) {
                throw new IllegalArgumentException("no process to pause");
            }
            for (long p : pids) {
                if (p < 2) {
                    throw new IllegalArgumentException("refusing to signal pid " + p);
                }
            }
        }

        @Override
        public String key() {
            StringBuilder b = new StringBuilder("pids:");
            for (int i = 0; i < pids.size(); i++) {
                b.append(i == 0 ? "" : ",").append(pids.get(i));
            }
            return b.toString();
        }
    }

    record Freezer(Path cgroup, boolean v2) implements PauseTarget {
        public Freezer {
            Objects.requireNonNull(cgroup, "cgroup");
            if (!cgroup.isAbsolute()) {
                throw new IllegalArgumentException("cgroup path must be absolute, got " + cgroup);
            }
        }

        @Override
        public String key() {
            return (v2 ? "freezer-v2:" : "freezer-v1:") + cgroup;
        }
    }

    /** Parses the text form; bad text gives an IllegalArgumentException saying what was expected. */
    static PauseTarget parse(String key) {
        int colon = key.indexOf(':');
        String kind = colon < 0 ? "" : key.substring(0, colon);
        String rest = colon < 0 ? "" : key.substring(colon + 1);
        switch (kind) {
            case "pids":
                try {
                    return new Pids(rest.isEmpty() ? List.of()
                            : java.util.Arrays.stream(rest.split(",")).map(Long::valueOf).toList());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad pid list in '" + key + "'");
                }
            case "freezer-v1":
                return new Freezer(Path.of(rest), false);
            case "freezer-v2":
                return new Freezer(Path.of(rest), true);
            default:
                throw new IllegalArgumentException("unknown pause target '" + key + "': expected pids:N,... or freezer-v1:/path or freezer-v2:/path");
        }
    }
}
