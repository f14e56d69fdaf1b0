package io.gpucolo.sim.policies;

/**
 * Places training tasks by another rule than first-fit (the admission pipeline). Returns the GPU or -1 to
 * fall back to first-fit among training-only GPUs.
 */
public interface TrainingPlacer {
    int place(int task, long nowMs);

    /** The MPS share the placement granted the task, percent. */
    int grantedShare(int task);

    /** The task left its GPU. */
    void released(int task);
}
