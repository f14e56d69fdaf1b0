package io.gpucolo.store;

/** What a stored job is. */
public enum JobKind {
    /** An instance of a declared inference service. */
    SERVICE,
    /** A training job that asked to be co-located. */
    TRAINING
}
