package io.gpucolo.sim.engine;

import java.util.Arrays;

/**
 * The engine's future-event list: a binary min-heap of primitive (time, kind, id) events. Time is in
 * milliseconds of virtual time; at equal times events pop in {@link Kind} order (ends before load changes
 * before control steps), then by id, so a run is a pure function of its input. Stale events (a training
 * job whose end moved) are left in the heap and skipped by the caller; nothing is allocated per event
 * once the arrays have grown.
 */
public final class EventQueue {
    /** Event kinds in tie-break order. */
    public enum Kind { END, LOAD, CONTROL }

    private static final Kind[] KINDS = Kind.values();
    private long[] keys = new long[1024];
    private int[] ids = new int[1024];
    private int size;

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    public void push(long timeMs, Kind kind, int id) {
        if (timeMs < 0 || timeMs >= (1L << 60)) {
            throw new IllegalArgumentException("event time out of range: " + timeMs);
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            ids = Arrays.copyOf(ids, size * 2);
        }
        long key = (timeMs << 2) | kind.ordinal();
        int i = size++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!less(key, id, keys[p], ids[p])) {
                break;
            }
            keys[i] = keys[p];
            ids[i] = ids[p];
            i = p;
        }
        keys[i] = key;
        ids[i] = id;
    }

    /** Time of the earliest event, ms; only when not empty. */
    public long peekTime() {
        return keys[0] >>> 2;
    }

    public Kind peekKind() {
        return KINDS[(int) (keys[0] & 3)];
    }

    public int peekId() {
        return ids[0];
    }

    /** Removes the earliest event (read it first with the peek methods). */
    public void pop() {
        long key = keys[--size];
        int id = ids[size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            int r = c + 1;
            if (r < size && less(keys[r], ids[r], keys[c], ids[c])) {
                c = r;
            }
            if (!less(keys[c], ids[c], key, id)) {
                break;
            }
            keys[i] = keys[c];
            ids[i] = ids[c];
            i = c;
        }
        keys[i] = key;
        ids[i] = id;
    }

    private static boolean less(long k1, int id1, long k2, int id2) {
        return k1 < k2 || (k1 == k2 && id1 < id2);
    }
}
