package io.gpucolo.node.noded;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the prolog tells noded about a job on a GPU of this node.
 *
 * @param jobId          Slurm job id (e.g. {@code 1234} or {@code 1234_7})
 * @param gpu            the GPU index on this node (0..1023)
 * @param role           inference (sensed) or training (actuated)
 * @param pids           training: the processes to stop and resume (may be empty when a cgroup or launcher is given)
 * @param cgroup         training: the job's cgroup directory (v1 freezer or v2), or null
 * @param launcherSocket training: the {@code gpucolo run} launcher's control socket, or null
 * @param mpsShare       training: its MPS active-thread percentage now (1..100); inference: ignored (100)
 * @param service        inference: the service name (the push endpoint's key)
 * @param sloMs          inference: its p99 objective, ms
 * @param metricsUrl     inference: the server's Prometheus endpoint, or null when it pushes each request's latency
 * @param metricName     inference: the histogram's base name, e.g. {@code nv_inference_request_duration_ms}
 */
public record JobRegistration(String jobId, int gpu, Role role, List<Long> pids, String cgroup, String launcherSocket,
                              int mpsShare, String service, double sloMs, String metricsUrl, String metricName) {
    private static final Pattern JOB_ID = Pattern.compile("[0-9]{1,12}(_[0-9]{1,9})?(\\+[0-9]{1,4})?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    public JobRegistration {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("job id must look like 1234 or 1234_7, got '" + jobId + "'");
        }
        if (gpu < 0 || gpu > 1023) {
            throw new IllegalArgumentException("job " + jobId + ": gpu must be in 0..1023, got " + gpu);
        }
        Objects.requireNonNull(role, "role");
        pids = pids == null ? List.of() : List.copyOf(pids);
        for (long pid : pids) {
            if (pid < 2 || pid > 4_194_304) {
                throw new IllegalArgumentException("job " + jobId + ": pid " + pid + " is not a valid process id");
            }
        }
        if (role == Role.TRAINING) {
            if (pids.isEmpty() && cgroup == null && launcherSocket == null) {
                throw new IllegalArgumentException("training job " + jobId + ": give pids, a cgroup or a launcher socket");
            }
            if (mpsShare < 1 || mpsShare > 100) {
                throw new IllegalArgumentException("training job " + jobId + ": MPS share must be in 1..100, got " + mpsShare);
            }
        } else {
            if (service == null || !NAME.matcher(service).matches()) {
                throw new IllegalArgumentException("inference job " + jobId + ": invalid service name '" + service + "'");
            }
            if (!(sloMs > 0) || Double.isInfinite(sloMs)) {
                throw new IllegalArgumentException("inference job " + jobId + ": SLO must be > 0 ms, got " + sloMs);
            }
            if (metricsUrl != null) {
                URI uri = URI.create(metricsUrl);
                if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException("inference job " + jobId + ": metrics URL must be http://host:port/path, got '" + metricsUrl + "'");
                }
                if (metricName == null || !NAME.matcher(metricName).matches()) {
                    throw new IllegalArgumentException("inference job " + jobId + ": a metrics URL needs the histogram name, got '" + metricName + "'");
                }
            }
            mpsShare = 100;
        }
    }

    /** A training job given by its processes. */
    public static JobRegistration training(String jobId, int gpu, List<Long> pids, String launcherSocket, int mpsShare) {
        return new JobRegistration(jobId, gpu, Role.TRAINING, pids, null, launcherSocket, mpsShare, null, 0, null, null);
    }

    /** An inference job sensed by scraping its Prometheus histogram, or by push when {@code metricsUrl} is null. */
    public static JobRegistration inference(String jobId, int gpu, String service, double sloMs, String metricsUrl,
                                            String metricName) {
        return new JobRegistration(jobId, gpu, Role.INFERENCE, List.of(), null, null, 100, service, sloMs, metricsUrl, metricName);
    }
}
