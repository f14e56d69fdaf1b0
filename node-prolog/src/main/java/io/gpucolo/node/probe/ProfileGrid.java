package io.gpucolo.node.probe;

import java.util.ArrayList;
import java.util.List;

/**
 * The grid {@code probe --profile} measures: every inference MPS share x batch x co-running training (share, duty).
 * Text forms: shares {@code 100,50,25}; batches {@code 1,4,16}; training {@code 0:0,50:1,50:0.5,100:1} (share:duty,
 * {@code 0:0} = alone).
 */
record ProfileGrid(List<Integer> shares, List<Integer> batches, List<double[]> training) {
    ProfileGrid {
        shares = List.copyOf(shares);
        batches = List.copyOf(batches);
        training = List.copyOf(training);
        if (shares.isEmpty() || batches.isEmpty() || training.isEmpty()) {
            throw new IllegalArgumentException("every grid axis needs at least one value");
        }
    }

    int cells() {
        return shares.size() * batches.size() * training.size();
    }

    static List<Integer> ints(String option, String text, int min, int max) {
        List<Integer> out = new ArrayList<>();
        for (String s : text.split(",")) {
            try {
                int v = Integer.parseInt(s.trim());
                if (v < min || v > max) {
                    throw new NumberFormatException();
                }
                out.add(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " '" + text + "': '" + s + "' is not a whole number in " + min + ".." + max);
            }
        }
        return out;
    }

    static List<double[]> training(String text) {
        List<double[]> out = new ArrayList<>();
        for (String s : text.split(",")) {
            String[] p = s.trim().split(":");
            try {
                double share = Double.parseDouble(p[0]);
                double duty = Double.parseDouble(p[1]);
                if (p.length != 2 || share < 0 || share > 100 || duty < 0 || duty > 1 || (share == 0) != (duty == 0)) {
                    throw new NumberFormatException();
                }
                out.add(new double[] {share, duty});
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("--training '" + text + "': '" + s
                        + "' is not SHARE:DUTY with share 1..100 and duty (0,1], or 0:0");
            }
        }
        return out;
    }
}
