package io.gpucolo.admission.policy;

import io.gpucolo.admission.yaml.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The policy a daemon runs with, reloadable from its file (on SIGHUP or an admin command). A reload that
 * finds problems keeps the last good policy and says why; readers always see a whole, valid policy.
 * Thread-safe: {@link #current()} is a volatile read; reloads are serialised.
 */
public final class PolicyHolder {
    private final Path file;
    private final PolicyLoader loader;
    private volatile LoadedPolicy current;
    private volatile List<Problem> lastProblems = List.of();

    public PolicyHolder(Path file, PolicyLoader loader, LoadedPolicy initial) {
        this.file = Objects.requireNonNull(file, "file");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.current = Objects.requireNonNull(initial, "initial");
    }

    public LoadedPolicy current() {
        return current;
    }

    /** The problems of the last failed reload; empty once a reload succeeds. */
    public List<Problem> lastProblems() {
        return lastProblems;
    }

    /** Re-reads the file; on success the new policy replaces the current one, else the current one stays. */
    public synchronized Reload reload() {
        LoadedPolicy before = current;
        LoadResult r = loader.load(file);
        if (r instanceof LoadResult.Valid v) {
            lastProblems = List.of();
            if (v.loaded().version().equals(before.version())) {
                return new Reload.Unchanged(before);
            }
            current = v.loaded();
            return new Reload.Applied(before, v.loaded());
        }
        List<Problem> problems = ((LoadResult.Invalid) r).problems();
        lastProblems = problems;
        return new Reload.Kept(before, problems);
    }

    /** What a reload did. */
    public sealed interface Reload permits Reload.Applied, Reload.Unchanged, Reload.Kept {
        /** One line (or, for {@link Kept}, one line per problem after the first) for the daemon's log. */
        String describe();

        record Applied(LoadedPolicy previous, LoadedPolicy now) implements Reload {
            @Override
            public String describe() {
                return "policy reloaded from " + now.source() + ": version " + now.version() + " (was "
                        + previous.version() + ")";
            }
        }

        record Unchanged(LoadedPolicy current) implements Reload {
            @Override
            public String describe() {
                return "policy unchanged: version " + current.version();
            }
        }

        record Kept(LoadedPolicy kept, List<Problem> problems) implements Reload {
            public Kept {
                problems = List.copyOf(problems);
            }

            @Override
            public String describe() {
                StringBuilder b = new StringBuilder("policy reload refused, keeping version " + kept.version() + " ("
                        + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):");
                for (Problem p : problems) {
                    b.append('\n').append(p);
                }
                return b.toString();
            }
        }
    }
}
