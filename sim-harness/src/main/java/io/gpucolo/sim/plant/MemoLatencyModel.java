package io.gpucolo.sim.plant;

import io.gpucolo.admission.latency.Interference;
import io.gpucolo.admission.latency.LatencyEstimate;
import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.model.ServiceLoad;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link LatencyModel} that remembers the answers of another. Latency models are pure, so a remembered answer
 * is exactly the model's answer for the same arguments. The simulator's mirrored services carry rates on the
 * plant's grid (0.5% of a GPU's capacity) and admission asks whole training percents with duty cycle 0 or 1, so the
 * same questions come back again and again (admission re-estimates a GPU's headroom whenever its services change).
 *
 * <p>A question is remembered under two longs, without allocation: the rate's bits, and its model, GPU model,
 * batch, inference percent, other processes, training percent and duty cycle packed. Questions that do not pack
 * (a fractional training percent or duty cycle, more than 255 distinct model names) go to the model each time.
 * Holds at most {@link #MAX_ENTRIES} answers, then answers new questions without remembering them. Single-threaded,
 * like the simulator.
 */
public final class MemoLatencyModel implements LatencyModel {
    static final int MAX_ENTRIES = 1 << 20;

    private final LatencyModel model;
    private final List<String> names = new ArrayList<>();
    private final List<String> known = new ArrayList<>();
    private String lastName;
    private int lastIndex;
    private long[] rates = new long[1 << 12];
    private long[] packed = new long[1 << 12];
    private LatencyEstimate[] answers = new LatencyEstimate[1 << 12];
    private int size;
    private long misses;

    public MemoLatencyModel(LatencyModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public LatencyEstimate predict(String modelName, String gpuModel, ServiceLoad load, int inferencePercent,
                                   Interference interference) {
        long key = pack(modelName, gpuModel, load.batch(), inferencePercent, interference);
        if (key < 0) {
            misses++;
            return model.predict(modelName, gpuModel, load, inferencePercent, interference);
        }
        long rate = Double.doubleToLongBits(load.requestsPerSecond());
        int mask = rates.length - 1;
        int i = mix(rate, key) & mask;
        for (; answers[i] != null; i = (i + 1) & mask) {
            if (rates[i] == rate && packed[i] == key) {
                return answers[i];
            }
        }
        misses++;
        LatencyEstimate e = model.predict(modelName, gpuModel, load, inferencePercent, interference);
        if (size < MAX_ENTRIES) {
            rates[i] = rate;
            packed[i] = key;
            answers[i] = e;
            if (2 * ++size > rates.length) {
                grow();
            }
        }
        return e;
    }

    /**
     * Bits 0-7 model and 8-15 GPU model (indexes of the names seen), 16-28 batch, 29-36 inference percent, 37-47 other
     * processes, 48-60 training percent, 61 duty cycle (0 or 1); -1 when the question does not pack.
     */
    private long pack(String modelName, String gpuModel, int batch, int inferencePercent, Interference in) {
        double share = in.trainingSharePercent();
        double duty = in.trainingDutyCycle();
        int m = index(modelName);
        int g = index(gpuModel);
        if (m < 0 || g < 0 || share != Math.rint(share) || share > 8191 || (duty != 0 && duty != 1)
                || in.otherInferenceProcesses() > 2047 || batch > 8191 || inferencePercent < 0 || inferencePercent > 255) {
            return -1;
        }
        return m | (long) g << 8 | (long) batch << 16 | (long) inferencePercent << 29
                | (long) in.otherInferenceProcesses() << 37 | (long) share << 48 | (duty == 1 ? 1L << 61 : 0);
    }

    /** Index of a name (models and GPU models share one list), or -1 past 255 names. */
    private int index(String name) {
        if (name == lastName) {
            return lastIndex;
        }
        int found = find(name);
        if (found >= 0) {
            lastName = name;
            lastIndex = found;
        }
        return found;
    }

    private int find(String name) {
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n == name || n.equals(name)) {
                return i;
            }
        }
        if (names.size() == 256) {
            return -1;
        }
        names.add(name);
        return names.size() - 1;
    }

    private void grow() {
        long[] r = rates;
        long[] p = packed;
        LatencyEstimate[] a = answers;
        rates = new long[r.length * 2];
        packed = new long[r.length * 2];
        answers = new LatencyEstimate[r.length * 2];
        int mask = rates.length - 1;
        for (int j = 0; j < r.length; j++) {
            if (a[j] != null) {
                int i = mix(r[j], p[j]) & mask;
                while (answers[i] != null) {
                    i = (i + 1) & mask;
                }
                rates[i] = r[j];
                packed[i] = p[j];
                answers[i] = a[j];
            }
        }
    }

    private static int mix(long a, long b) {
        long h = (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL);
        return (int) (h ^ (h >>> 31));
    }

    @Override
    public double soloBatchLatencyMs(String modelName, String gpuModel, int batch) {
        return model.soloBatchLatencyMs(modelName, gpuModel, batch);
    }

    /** Remembered too: whether the model knows a name does not change. */
    @Override
    public boolean knows(String modelName) {
        for (String k : known) {
            if (k == modelName) {
                return true;
            }
        }
        boolean yes = model.knows(modelName);
        if (yes && known.size() < 256) {
            known.add(modelName);
        }
        return yes;
    }

    /** Questions the wrapped model answered (not remembered ones). */
    public long misses() {
        return misses;
    }
}
