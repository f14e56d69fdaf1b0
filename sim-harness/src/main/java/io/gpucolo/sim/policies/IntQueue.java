package io.gpucolo.sim.policies;

/** A FIFO of ints on a growable ring buffer (tasks waiting for a GPU). */
final class IntQueue {
    private int[] a = new int[64];
    private int head;
    private int size;

    void add(int v) {
        if (size == a.length) {
            int[] b = new int[a.length * 2];
            for (int i = 0; i < size; i++) {
                b[i] = a[(head + i) % a.length];
            }
            a = b;
            head = 0;
        }
        a[(head + size++) % a.length] = v;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int peek() {
        return a[head];
    }

    int poll() {
        int v = a[head];
        head = (head + 1) % a.length;
        size--;
        return v;
    }

    int size() {
        return size;
    }
}
