package io.gpucolo.node.noded;

import io.gpucolo.node.law.LatencySample;
import io.gpucolo.node.law.ServiceLatency;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * noded's Prometheus metrics, per GPU: each service's window p99 against its SLO, the duty cycle, the training MPS
 * share, the sensor state, and counters of periods and actions. Fed by the loop through {@link ControlTelemetry}.
 */
final class NodedMetrics implements ControlTelemetry {
    private final Gauge p99;
    private final Gauge slo;
    private final Gauge duty;
    private final Gauge share;
    private final Gauge sensorUp;
    private final Counter periods;
    private final Counter actions;

    NodedMetrics(PrometheusRegistry registry) {
        p99 = Gauge.builder().name("gpucolo_inference_p99_ms").help("p99 latency of the last window, ms")
                .labelNames("gpu", "service").register(registry);
        slo = Gauge.builder().name("gpucolo_inference_slo_ms").help("p99 latency objective, ms")
                .labelNames("gpu", "service").register(registry);
        duty = Gauge.builder().name("gpucolo_training_duty_cycle").help("fraction of each period training may run")
                .labelNames("gpu").register(registry);
        share = Gauge.builder().name("gpucolo_training_mps_share_percent").help("training MPS active-thread percentage")
                .labelNames("gpu").register(registry);
        sensorUp = Gauge.builder().name("gpucolo_sensor_up").help("1 when every latency sensor of the GPU answered")
                .labelNames("gpu").register(registry);
        periods = Counter.builder().name("gpucolo_control_periods_total").help("inner control periods run")
                .labelNames("gpu").register(registry);
        actions = Counter.builder().name("gpucolo_control_actions_total")
                .help("actions beyond the inner step: share changes, fail-safe periods").labelNames("gpu", "action")
                .register(registry);
    }

    @Override
    public void period(int gpu, LatencySample sample, double d, int s, String action) {
        String g = Integer.toString(gpu);
        if (sample != null) {
            for (ServiceLatency l : sample.services()) {
                slo.labelValues(g, l.service()).set(l.sloMs());
                if (l.hasData()) {
                    p99.labelValues(g, l.service()).set(l.p99Ms());
                }
            }
        }
        sensorUp.labelValues(g).set(sample == null ? 0 : 1);
        duty.labelValues(g).set(d);
        share.labelValues(g).set(s);
        periods.labelValues(g).inc();
        if (!action.isEmpty()) {
            actions.labelValues(g, action).inc();
        }
    }
}
