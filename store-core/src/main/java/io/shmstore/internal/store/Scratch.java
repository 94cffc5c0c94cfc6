package io.shmstore.internal.store;

import net.openhft.chronicle.bytes.Bytes;

/**
 * A thread's buffers, shared by all stores: the encoded key, the encoded value, and a copied entry. So
 * a hit through {@code getUsing} allocates nothing when the codec reuses objects.
 *
 * <p>{@link #forThread()} is on every operation. {@code ThreadLocal.get} misses its first probe
 * whenever another thread local shares the slot (Chronicle and applications keep many) and then walks
 * the map, touching entries that a random-access workload has evicted: {@code -prof stack} put a tenth
 * of a {@code get} there, and a one-thread {@code put} measured about 5% faster without it. A table
 * indexed by thread id finds the buffers with one load and one compare. The table is read and written
 * without synchronisation: a thread only ever accepts a {@code Scratch} whose final {@code owner} is
 * itself, which final-field semantics make safe to read through a race; a thread whose slot a live
 * thread holds keeps using its {@code ThreadLocal}. A dead thread's buffers stay reachable until another
 * thread takes its slot: at most 256 small sets.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);
    private static final int TABLE_SIZE = 256;
    private static final Scratch[] BY_THREAD = new Scratch[TABLE_SIZE];

    final Thread owner = Thread.currentThread();
    final Bytes<Void> key = confined(Bytes.allocateElasticDirect(64));
    final Bytes<Void> value = confined(Bytes.allocateElasticDirect(256));
    final Bytes<Void> entry = confined(Bytes.allocateElasticDirect(256));

    private Scratch() {
    }

    /** A thread-local buffer is used by one thread by construction; Chronicle need not check. */
    private static Bytes<Void> confined(Bytes<Void> b) {
        b.singleThreadedCheckDisabled(true);
        return b;
    }

    /** This thread's buffers. */
    static Scratch forThread() {
        Thread t = Thread.currentThread();
        int i = (int) t.getId() & (TABLE_SIZE - 1);
        Scratch s = BY_THREAD[i];
        return s != null && s.owner == t ? s : slow(i, s);
    }

    private static Scratch slow(int i, Scratch held) {
        Scratch mine = LOCAL.get();
        if (held == null || !held.owner.isAlive()) {
            BY_THREAD[i] = mine;
        }
        return mine;
    }
}
