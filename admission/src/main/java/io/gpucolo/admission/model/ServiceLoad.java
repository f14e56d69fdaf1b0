package io.gpucolo.admission.model;

/**
 * The offered load of one inference service on one GPU: request rate (requests per second) and the
 * batch size the server forms.
 */
public record ServiceLoad(double requestsPerSecond, int batch) {
    public ServiceLoad {
        if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("request rate must be a finite number >= 0, got " + requestsPerSecond);
        }
        if (batch < 1 || batch > 4096) {
            throw new IllegalArgumentException("batch must be in 1..4096, got " + batch);
        }
    }
}
