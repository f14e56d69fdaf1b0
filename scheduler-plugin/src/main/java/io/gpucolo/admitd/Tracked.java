package io.gpucolo.admitd;

import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.TrainingRequest;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A decision admitd is following until its Slurm job ends.
 *
 * @param id       decision id ({@code d<seq>})
 * @param kind     {@code train} (admitted guest), {@code service}, or {@code defer} (held, waiting for room)
 * @param request  the training request (train and defer), or null for a service
 * @param service  the service name (service), or empty
 * @param gpu      where it runs (train, service), or empty
 * @param at       when it was decided
 * @param jobId    the Slurm job id, once reconcile has seen it
 */
record Tracked(String id, String kind, TrainingRequest request, String service, Optional<GpuId> gpu, Instant at,
               Optional<String> jobId) {
    Tracked {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        service = service == null ? "" : service;
        Objects.requireNonNull(gpu, "gpu");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(jobId, "jobId");
    }

    Tracked bound(String slurmJobId) {
        return new Tracked(id, kind, request, service, gpu, at, Optional.of(slurmJobId));
    }

    Tracked admitted(GpuId where) {
        return new Tracked(id, "train", request, service, Optional.of(where), at, jobId);
    }
}
