package io.gpucolo.admission.policy;

import io.gpucolo.admission.yaml.Problem;
import java.util.List;
import java.util.Objects;

/** The outcome of reading a policy file: a policy, or every problem found (sorted by position). */
public sealed interface LoadResult permits LoadResult.Valid, LoadResult.Invalid {

    record Valid(LoadedPolicy loaded) implements LoadResult {
        public Valid {
            Objects.requireNonNull(loaded, "loaded");
        }
    }

    record Invalid(List<Problem> problems) implements LoadResult {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid result needs at least one problem");
            }
        }
    }
}
