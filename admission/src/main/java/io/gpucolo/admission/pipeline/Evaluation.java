package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.Decision;
import io.gpucolo.admission.model.TrainingRequest;
import java.util.List;
import java.util.Objects;

/**
 * The decision for a request and, per GPU, why it was filtered or how it scored. Computed without side
 * effects: a dry run ({@code gpucolo explain}) shows exactly what the production path would decide.
 *
 * @param request   the request evaluated
 * @param policy    the policy name
 * @param preFilter the first failing pre-filter status, or success
 * @param decision  what admission decides
 * @param verdicts  one per GPU, in cluster order (empty when a pre-filter refused the request)
 */
public record Evaluation(TrainingRequest request, String policy, Status preFilter, Decision decision,
                         List<GpuVerdict> verdicts) {
    public Evaluation {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(preFilter, "preFilter");
        Objects.requireNonNull(decision, "decision");
        verdicts = List.copyOf(verdicts);
    }
}
