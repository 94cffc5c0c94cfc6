package io.shmstore.internal.store;

import io.shmstore.ChangeType;
import io.shmstore.LockedEntry;

import java.util.Objects;

/**
 * The entry {@link StoreImpl#withLock} hands its function, with the segment lock held: the key's slot,
 * located once, and the change asked for, made by {@link #apply} after the function returns. The
 * function may use other stores (the thread's scratch buffers with them) but not this one, so the slot
 * stays where it was found; the key is encoded again and the entry copied again when they are needed.
 */
final class LockedEntryImpl<K, V> implements LockedEntry<K, V> {
    private static final int NONE = 0;
    private static final int SET = 1;
    private static final int TOUCH = 2;
    private static final int REMOVE = 3;

    private final StoreImpl<K, V> store;
    private final Segment seg;
    private final K key;
    private final long hash;
    private final long now;
    /** The key's live slot, or negative when it has none. */
    private final int slot;
    /** When the slot's entry expires (epoch ms), when there is one. */
    private final long storedExpiry;
    private boolean decoded;
    private V stored;
    private int change = NONE;
    private V newValue;
    private long newExpiry;
    private boolean open = true;

    /** With the key encoded in {@code s.key} and the segment locked. */
    LockedEntryImpl(StoreImpl<K, V> store, Segment seg, Scratch s, K key, long hash, long now) {
        this.store = store;
        this.seg = seg;
        this.key = key;
        this.hash = hash;
        this.now = now;
        this.slot = seg.locate(s.key.addressForRead(0), (int) s.key.writePosition(), hash);
        this.storedExpiry = slot >= 0 ? seg.expiresAt(slot) : 0;
    }

    @Override
    public K key() {
        checkOpen();
        return key;
    }

    @Override
    public boolean isPresent() {
        checkOpen();
        return slot >= 0 && storedExpiry > now;
    }

    @Override
    public V value() {
        return isPresent() ? stored() : null;
    }

    @Override
    public long expiresAt() {
        return isPresent() ? storedExpiry : 0;
    }

    @Override
    public V expiredValue() {
        checkOpen();
        return slot >= 0 && storedExpiry <= now ? stored() : null;
    }

    private V stored() {
        if (!decoded) {
            Scratch s = Scratch.forThread();
            seg.copyAt(slot, s.entry);
            stored = store.decode(s.entry, null, key);
            decoded = true;
        }
        return stored;
    }

    @Override
    public void setValue(V value) {
        setValue(value, store.expiryFrom(now));
    }

    @Override
    public void setValue(V value, long expiresAt) {
        checkOpen();
        Objects.requireNonNull(value, "value");
        checkExpiry(expiresAt);
        change = SET;
        newValue = value;
        newExpiry = expiresAt;
    }

    @Override
    public void setExpiresAt(long expiresAt) {
        checkOpen();
        checkExpiry(expiresAt);
        if (change == SET) {
            newExpiry = expiresAt;
            return;
        }
        if (!isPresent() || change == REMOVE) {
            throw new IllegalStateException("key " + key + " in store \"" + store.name() + "\" has no value "
                    + (change == REMOVE ? "once removed" : "present") + " to set the expiry of");
        }
        change = TOUCH;
        newExpiry = expiresAt;
    }

    @Override
    public void remove() {
        checkOpen();
        change = REMOVE;
        newValue = null;
    }

    private static void checkExpiry(long expiresAt) {
        if (expiresAt < 0) {
            throw new IllegalArgumentException("expiresAt " + expiresAt + " is negative: give epoch milliseconds,"
                    + " or Long.MAX_VALUE for never");
        }
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("a LockedEntry is valid only inside the function given to withLock");
        }
    }

    /** Makes the change asked for (segment still locked), then closes the entry. */
    void apply() {
        open = false;
        if (change == NONE) {
            return;
        }
        Scratch s = Scratch.forThread();
        if (change == REMOVE) {
            if (slot >= 0) {
                seg.remove(slot, storedExpiry <= now ? ChangeType.EXPIRE : ChangeType.REMOVE);
            }
            return;
        }
        store.encodeKey(s, key);
        if (change == SET) {
            store.encode(s.value, newValue, key);
            seg.put(hash, s.key, s.value, now, newExpiry);
        } else {
            seg.copyAt(slot, s.entry);
            s.value.clear();
            s.value.write(s.entry, s.entry.readPosition(), s.entry.readRemaining());
            seg.put(hash, s.key, s.value, now, newExpiry, false);
        }
    }

    /** Closes the entry without a change: the function threw. */
    void discard() {
        open = false;
    }
}
