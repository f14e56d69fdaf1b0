package io.gpucolo.sim.traces;

import java.util.Set;

/**
 * Which trace tasks are inference and which are training. Neither trace says so directly, so the rule is
 * explicit, documented ({@code docs/SIMULATOR.md}) and configurable from the command line.
 *
 * <p>PAI 2020 (our reconstruction of the paper's heuristic), first match wins:
 * <ol>
 *   <li>task name in {@code inferenceTasks} (default {@code inference, serving, predict, predictor}): inference;</li>
 *   <li>task name in {@code trainingTasks} (default the distributed-training roles {@code worker, ps, chief,
 *       evaluator, PyTorchWorker, OpenmpiTracker, TVMTuneMain}): training;</li>
 *   <li>otherwise a task with at most {@code inferenceMaxInstances} instances asking at most
 *       {@code inferenceMaxShare} percent of one GPU is inference (a small single-process job that asks a
 *       fraction of a GPU looks like a served model); everything else is training.</li>
 * </ol>
 * Alibaba 2023 openb: a pod whose {@code qos} is in {@code inferenceQos} (default {@code LS},
 * latency-sensitive) is inference, every other pod (BE, Burstable, Guaranteed) is training.
 * Own CSV: the file states the kind.
 */
public record LabelRules(Set<String> inferenceTasks, Set<String> trainingTasks, int inferenceMaxShare,
                         int inferenceMaxInstances, Set<String> inferenceQos) {
    public static final LabelRules DEFAULT = new LabelRules(Set.of("inference", "serving", "predict", "predictor"),
            Set.of("worker", "ps", "chief", "evaluator", "PyTorchWorker", "OpenmpiTracker", "TVMTuneMain"),
            50, 1, Set.of("LS"));

    public LabelRules {
        inferenceTasks = Set.copyOf(inferenceTasks);
        trainingTasks = Set.copyOf(trainingTasks);
        inferenceQos = Set.copyOf(inferenceQos);
        if (inferenceMaxShare < 0 || inferenceMaxShare > 100) {
            throw new IllegalArgumentException("inference max share must be 0..100 percent, got " + inferenceMaxShare);
        }
        if (inferenceMaxInstances < 0) {
            throw new IllegalArgumentException("inference max instances must be >= 0, got " + inferenceMaxInstances);
        }
    }

    /** The PAI rule for one task row. */
    public byte paiKind(String taskName, int instances, double sharePercent) {
        if (inferenceTasks.contains(taskName)) {
            return TaskTable.INFERENCE;
        }
        if (trainingTasks.contains(taskName)) {
            return TaskTable.TRAINING;
        }
        return instances <= inferenceMaxInstances && sharePercent <= inferenceMaxShare
                ? TaskTable.INFERENCE : TaskTable.TRAINING;
    }

    /** The openb rule for one pod. */
    public byte openbKind(String qos) {
        return inferenceQos.contains(qos) ? TaskTable.INFERENCE : TaskTable.TRAINING;
    }
}
