package io.gpucolo.sim.plant;

import java.util.Arrays;

/** Open-addressing map from a non-negative long key to an int, without boxing; -1 means absent. */
final class LongIntMap {
    private long[] keys = new long[1 << 12];
    private int[] values = new int[1 << 12];
    private int size;

    LongIntMap() {
        Arrays.fill(keys, -1);
    }

    int get(long key) {
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == -1) {
                return -1;
            }
        }
    }

    void put(long key, int value) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != -1 && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == -1) {
            size++;
        }
        keys[i] = key;
        values[i] = value;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] ok = keys;
        int[] ov = values;
        keys = new long[ok.length * 2];
        values = new int[ok.length * 2];
        Arrays.fill(keys, -1);
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != -1) {
                put(ok[i], ov[i]);
            }
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
