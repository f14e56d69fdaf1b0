package io.gpucolo.admission.state;

import io.gpucolo.admission.model.Gpu;
import java.util.List;
import java.util.Objects;

/**
 * An immutable view of one GPU's occupants at one moment: the inference services resident on it and the
 * training guests packed beside them. {@code version} increases with every committed change, so a
 * decision proposed on an old view can be refused at commit (propose, then commit).
 */
public record GpuState(Gpu gpu, List<ResidentService> services, List<Guest> guests, long version) {
    public GpuState {
        Objects.requireNonNull(gpu, "gpu");
        services = List.copyOf(services);
        guests = List.copyOf(guests);
    }

    public static GpuState empty(Gpu gpu) {
        return new GpuState(gpu, List.of(), List.of(), 0);
    }

    public int trainingPercent() {
        int s = 0;
        for (Guest g : guests) {
            s += g.mpsPercent();
        }
        return s;
    }

    public long guestMemoryMiB() {
        long s = 0;
        for (Guest g : guests) {
            s += g.memoryMiB();
        }
        return s;
    }

    /** Memory held by resident services and guests, MiB. */
    public long usedMemoryMiB() {
        long s = guestMemoryMiB();
        for (ResidentService r : services) {
            s += r.service().memoryMiB();
        }
        return s;
    }

    public boolean hasInference() {
        return !services.isEmpty();
    }
}
