package io.gpucolo.sim.policies;

import java.util.BitSet;

/**
 * First-fit over a pool of GPU slots, as the paper packs: the lowest-numbered <em>open</em> GPU with enough
 * free share and memory, else the lowest-numbered closed slot is opened. A GPU closes when its last task
 * leaves. A segment tree over the slots keeps the largest free share and free memory of each range (closed
 * slots count as -1, so they never match), which makes a search O(log n) in the usual case instead of a
 * scan of every open GPU. Capacity limits (a real cluster) are checked by the caller before opening.
 */
public final class FirstFitIndex {
    private int slots;
    private int leaves;
    private int[] maxShare;
    private int[] maxMem;
    private int[] freeShare;
    private int[] freeMem;
    private boolean[] open;
    private boolean[] blocked;
    private final BitSet closed = new BitSet();
    private final int fullMem;
    private int openCount;

    /** @param slots most GPUs this pool may ever open; @param memMiB memory of one GPU */
    public FirstFitIndex(int slots, int memMiB) {
        if (slots < 1) {
            throw new IllegalArgumentException("a pool needs at least one slot");
        }
        this.slots = slots;
        int l = 1;
        while (l < slots) {
            l <<= 1;
        }
        leaves = l;
        maxShare = new int[2 * l];
        maxMem = new int[2 * l];
        java.util.Arrays.fill(maxShare, -1);
        java.util.Arrays.fill(maxMem, -1);
        freeShare = new int[slots];
        freeMem = new int[slots];
        open = new boolean[slots];
        blocked = new boolean[slots];
        closed.set(0, slots);
        fullMem = memMiB;
    }

    /** Doubles the slots (a pool with no fixed size grows when every slot is open). */
    public void grow() {
        int old = slots;
        int[] fs = freeShare;
        int[] fm = freeMem;
        boolean[] op = open;
        slots = old * 2;
        leaves *= 2;
        maxShare = new int[2 * leaves];
        maxMem = new int[2 * leaves];
        java.util.Arrays.fill(maxShare, -1);
        java.util.Arrays.fill(maxMem, -1);
        freeShare = java.util.Arrays.copyOf(fs, slots);
        freeMem = java.util.Arrays.copyOf(fm, slots);
        open = java.util.Arrays.copyOf(op, slots);
        blocked = java.util.Arrays.copyOf(blocked, slots);
        closed.set(old, slots);
        for (int i = 0; i < old; i++) {
            update(i);
        }
    }

    public int slots() {
        return slots;
    }

    public int openCount() {
        return openCount;
    }

    public boolean isOpen(int slot) {
        return open[slot];
    }

    /** Lowest open slot at or after {@code from} with at least this free share and memory, or -1. */
    public int findOpen(int share, int memMiB, int from) {
        if (maxShare[1] < share || maxMem[1] < memMiB || from >= slots) {
            return -1;
        }
        return descend(1, 0, leaves, share, memMiB, from);
    }

    private int descend(int node, int lo, int hi, int share, int mem, int from) {
        if (hi <= from || maxShare[node] < share || maxMem[node] < mem) {
            return -1;
        }
        if (node >= leaves) {
            int slot = node - leaves;
            return freeShare[slot] >= share && freeMem[slot] >= mem ? slot : -1;
        }
        int mid = (lo + hi) >>> 1;
        int left = descend(2 * node, lo, mid, share, mem, from);
        return left >= 0 ? left : descend(2 * node + 1, mid, hi, share, mem, from);
    }

    /** Lowest closed slot, or -1 when every slot is open. */
    public int lowestClosed() {
        int s = closed.nextSetBit(0);
        return s < slots ? s : -1;
    }

    /** Takes share and memory on a slot, opening it if closed. */
    public void take(int slot, int share, int memMiB) {
        if (!open[slot]) {
            open[slot] = true;
            blocked[slot] = false;
            closed.clear(slot);
            freeShare[slot] = 100;
            freeMem[slot] = fullMem;
            openCount++;
        }
        freeShare[slot] -= share;
        freeMem[slot] -= memMiB;
        update(slot);
    }

    /** Gives share and memory back; the slot closes when {@code empty}. */
    public void give(int slot, int share, int memMiB, boolean empty) {
        freeShare[slot] += share;
        freeMem[slot] += memMiB;
        if (empty) {
            open[slot] = false;
            blocked[slot] = false;
            closed.set(slot);
            openCount--;
        }
        update(slot);
    }

    /**
     * Hides an open slot from {@link #findOpen} (or shows it again) without closing it: a GPU that may take no
     * further task of the kind searched for, whatever its free share (ours: its inference would miss an SLO).
     */
    public void block(int slot, boolean hide) {
        if (blocked[slot] != hide) {
            blocked[slot] = hide;
            update(slot);
        }
    }

    public int freeShare(int slot) {
        return open[slot] ? freeShare[slot] : 100;
    }

    private void update(int slot) {
        int n = slot + leaves;
        boolean offered = open[slot] && !blocked[slot];
        maxShare[n] = offered ? freeShare[slot] : -1;
        maxMem[n] = offered ? freeMem[slot] : -1;
        for (n >>>= 1; n >= 1; n >>>= 1) {
            maxShare[n] = Math.max(maxShare[2 * n], maxShare[2 * n + 1]);
            maxMem[n] = Math.max(maxMem[2 * n], maxMem[2 * n + 1]);
        }
    }
}
