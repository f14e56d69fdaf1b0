package io.gpucolo.admission.model;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An inference service the site has declared in its policy file.
 *
 * @param name         service name, as users name it when they submit (letters, digits, '.', '_', '-')
 * @param sloP99Ms     the p99 latency objective per request, milliseconds
 * @param allowedUsers users who may run this service; empty means nobody (services are granted, never open)
 * @param modelName    the name of its latency profile (e.g. {@code resnet50}) in the calibration data
 * @param nominalLoad  the load the service is declared to carry when no history exists yet
 * @param memoryMiB    GPU memory one instance of the service holds, MiB
 */
public record InferenceService(String name, double sloP99Ms, Set<String> allowedUsers, String modelName,
                               ServiceLoad nominalLoad, long memoryMiB) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public InferenceService {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid service name '" + name + "'");
        }
        if (!(sloP99Ms > 0) || Double.isInfinite(sloP99Ms)) {
            throw new IllegalArgumentException("service " + name + ": SLO must be a positive number of ms, got " + sloP99Ms);
        }
        allowedUsers = Set.copyOf(allowedUsers);
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(nominalLoad, "nominalLoad");
        if (memoryMiB <= 0) {
            throw new IllegalArgumentException("service " + name + ": memory must be positive, got " + memoryMiB + " MiB");
        }
    }

    public boolean mayBeRunBy(String user) {
        return allowedUsers.contains(user) || allowedUsers.contains("*");
    }
}
