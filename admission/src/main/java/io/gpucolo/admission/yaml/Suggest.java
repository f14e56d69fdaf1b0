package io.gpucolo.admission.yaml;

/** "Did you mean" for misspelt keys and names: the closest candidate within a small edit distance. */
public final class Suggest {
    private Suggest() {
    }

    /** {@code " (did you mean 'x'?)"}, or empty when nothing is close (distance above a third of the word, at least 2). */
    public static String didYouMean(String word, Iterable<String> candidates) {
        if (word.length() > YamlValues.MAX_SHOWN) {
            return ""; // no name is that long; and the distance would cost length x candidates
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, word.length() / 3);
        return best != null && bestDistance <= allowed ? " (did you mean '" + best + "'?)" : "";
    }

    /** Levenshtein distance (insertions, deletions, substitutions of one character each cost 1). */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
