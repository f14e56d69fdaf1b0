package io.gpucolo.admitd;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The decisions admitd follows, by decision id, and which Slurm job each became. Thread-safe. */
final class Book {
    private final ConcurrentHashMap<String, Tracked> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> idByJob = new ConcurrentHashMap<>();

    void put(Tracked t) {
        byId.put(t.id(), t);
        t.jobId().ifPresent(j -> idByJob.put(j, t.id()));
    }

    Optional<Tracked> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    Optional<Tracked> byJob(String jobId) {
        return Optional.ofNullable(idByJob.get(jobId)).map(byId::get);
    }

    void remove(String id) {
        Tracked t = byId.remove(id);
        if (t != null) {
            t.jobId().ifPresent(idByJob::remove);
        }
    }

    List<Tracked> all() {
        return List.copyOf(byId.values());
    }

    int size() {
        return byId.size();
    }
}
