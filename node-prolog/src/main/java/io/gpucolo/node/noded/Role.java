package io.gpucolo.node.noded;

/** What a job registered with noded is on its GPU: the protected inference service or the throttled training. */
public enum Role {
    INFERENCE, TRAINING
}
