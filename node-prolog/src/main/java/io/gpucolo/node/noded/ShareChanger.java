package io.gpucolo.node.noded;

/**
 * The outer tier's actuator: gives a training job a new MPS share (in production by asking its {@code gpucolo run}
 * launcher to checkpoint and restart it; 5–15 s). Called off the control loop's thread; may block.
 */
@FunctionalInterface
public interface ShareChanger {
    /** Applies the share; returns the processes to pause from now on (empty: unchanged). */
    java.util.List<Long> change(String jobId, String launcherSocket, int sharePercent) throws Exception;
}
