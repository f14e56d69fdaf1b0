package io.gpucolo.admission.latency;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A calibration profile: measured batch latencies of one inference model on one GPU model, over a grid of
 * compute shares, batches, co-running inference processes and co-running training. Written by
 * {@code gpucolo probe --profile}, read by {@link ProfileFormat}; the format is in {@code docs/MODEL.md}.
 *
 * @param gpuModel  GPU model name, e.g. {@code A100-80GB}
 * @param modelName inference model (profile) name, e.g. {@code resnet50}
 * @param source    where the numbers come from (attribution and license for imported data)
 * @param rows      the measured points; at least one point without training at the smallest batch
 */
public record LatencyProfile(String gpuModel, String modelName, String source, List<ProfileRow> rows) {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    public LatencyProfile {
        Objects.requireNonNull(gpuModel, "gpuModel");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(source, "source");
        if (!NAME.matcher(gpuModel).matches()) {
            throw new IllegalArgumentException("invalid GPU model name '" + gpuModel + "'");
        }
        if (!NAME.matcher(modelName).matches()) {
            throw new IllegalArgumentException("invalid model name '" + modelName + "'");
        }
        if (source.contains("\n") || source.contains("\r")) {
            throw new IllegalArgumentException("source must be one line");
        }
        rows = List.copyOf(rows);
        if (rows.stream().noneMatch(ProfileRow::withoutTraining)) {
            throw new IllegalArgumentException("profile " + modelName + "@" + gpuModel
                    + " has no measurement without training");
        }
    }
}
