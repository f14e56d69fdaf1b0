package io.gpucolo.node.sensor;

import io.gpucolo.node.law.ServiceLatency;

/**
 * Reads one inference service's latency over the window since the previous read. The loop calls it once per inner
 * period. A sensor that cannot answer (endpoint down, garbage, timeout) throws {@link SensorUnavailableException}; the
 * loop then treats the GPU's latency as unknown (see NODE.md, "Fail safe").
 */
public interface LatencySensor extends AutoCloseable {
    ServiceLatency read() throws SensorUnavailableException;

    /** The service this sensor watches. */
    String service();

    /** That service's p99 objective, ms. */
    double sloMs();

    @Override
    default void close() {
    }
}
