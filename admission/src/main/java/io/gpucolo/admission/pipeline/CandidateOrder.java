package io.gpucolo.admission.pipeline;

/** In what order the candidate index offers GPUs to the filters. */
public enum CandidateOrder {
    /** Cluster order (node order, then GPU index): the first GPU that fits wins (first-fit). */
    GPU_ORDER,
    /** Least free training share first (best-fit): keeps large holes for large requests. */
    TIGHTEST_FIT
}
