package io.shmstore.internal.store;

import io.shmstore.ChangeType;
import io.shmstore.FullPolicy;
import io.shmstore.StoreFullException;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongPredicate;

/**
 * The write path of one segment, with the lock held: copy-on-write puts, removes, and the policies
 * that make room for a put (rehash, expiry, eviction, growth). Failures inside the segment throw
 * {@link Inconsistent}, which {@link Segment} turns into an online repair and a typed exception.
 *
 * <p>Design notes:
 * <ul>
 *   <li><b>A write happens or it does not</b>: every step that can fail — finding the key, validating
 *       the entry being replaced, making room, allocating — comes before the one slot store that makes
 *       the write visible. After it come only steps that cannot fail: freeing the checked chunks of the
 *       entry replaced, the counts, and the change-feed append (lock-free, see {@link ChangeRing}).</li>
 *   <li><b>Space</b>: when no run of chunks is free or the table is {@link Sizing#MAX_LOAD} full,
 *       expired entries are purged; then under {@link FullPolicy#EVICT} the oldest-written of eight
 *       sampled entries is evicted, repeatedly, and under {@code REJECT} the segment grows (data by a
 *       sixteenth and at least a page, the table by a half), within its room and the store's cap on
 *       reserved bytes; past those the insert fails with {@link StoreFullException}. An {@code EVICT}
 *       segment grows only for an entry that eviction cannot make room for.</li>
 *   <li><b>Growth is crash-safe</b>: pages are reserved before a larger chunk count is published
 *       (ordered store), and a larger table is filled while inactive and published with one store of
 *       the table word (see {@link SlotTable#rehash}). A writer killed in between leaves reserved pages
 *       that no count covers, which the next growth reserves again.</li>
 * </ul>
 * The write path and the policies are one class because they must be read together to check the rule
 * that nothing after the publish can fail.
 */
final class SegmentWriter {
    private static final Memory MEMORY = OS.memory();
    private static final int EVICTION_SAMPLE = 8;
    /** Data grows by a quarter, and at least by a page. */
    private static final int MIN_GROWTH_CHUNKS = StoreLayout.PAGE / SegmentLayout.CHUNK;

    private final int index;
    private final long header;
    private final long rangeOffset;
    private final StoreConfig config;
    private final FeedSink feed;
    private final SegmentSpace space;
    private final LongPredicate mayReserve;
    private final EntryValidator entries;
    private final SlotTable slots;
    private final ChunkAllocator chunks;
    /**
     * Counts the changes that move or free slots (removes, rehashes), so a writer can tell whether a
     * slot it located is still where it found it. Touched only with the lock held.
     */
    private int reshapes;

    SegmentWriter(int index, long header, long rangeOffset, StoreConfig config, FeedSink feed, SegmentSpace space,
                  LongPredicate mayReserve, EntryValidator entries, SlotTable slots, ChunkAllocator chunks) {
        this.index = index;
        this.header = header;
        this.rangeOffset = rangeOffset;
        this.config = config;
        this.feed = feed;
        this.space = space;
        this.mayReserve = mayReserve;
        this.entries = entries;
        this.slots = slots;
        this.chunks = chunks;
    }

    /** True once the segment has held an entry that expires (see {@link SegmentLayout#HELD_EXPIRING}). */
    boolean holdsExpiring() {
        return (MEMORY.readVolatileInt(header + SegmentLayout.FLAGS_OFFSET) & SegmentLayout.HELD_EXPIRING) != 0;
    }

    private void bump(int offset, long delta) {
        if (delta != 0) {
            MEMORY.writeOrderedLong(header + offset, MEMORY.readLong(header + offset) + delta);
        }
    }

    /**
     * Writes a new entry for the key and publishes it, replacing the key's live entry if there is one,
     * then frees what it replaced. The lengths have been checked against the entry format.
     *
     * @param record whether the change feed records the put: a rewrite that only changes when the entry
     *               expires is not a change of the key's value, and is not recorded
     */
    void write(long hash, long keyAddr, int keyLength, long valueAddr, int valueLength, int flags, long now,
               long expiresAt, boolean record) {
        int i = slots.locate(keyAddr, keyLength, hash, chunks.chunks());
        int shape = reshapes;
        long keep = SegmentLayout.EMPTY;
        if (i >= 0) {
            keep = slots.slotAt(i);
            int reserved = chunks.chunks();
            entries.shape(entries.chunk(keep, reserved), reserved);
        } else {
            ensureSlotRoom(now);
        }
        int headerLength = EntryLayout.headerLength(flags);
        int chunk = allocate(EntryLayout.chunksFor(headerLength, keyLength, valueLength), keep, now);
        int reserved = chunks.chunks();
        long e = entries.address(chunk);
        MEMORY.writeInt(e + EntryLayout.KEY_LENGTH_OFFSET, keyLength | flags << 16 | headerLength << 24);
        MEMORY.writeInt(e + EntryLayout.VALUE_LENGTH_OFFSET, valueLength);
        if ((flags & EntryLayout.EXPIRES) != 0) {
            MEMORY.writeLong(e + EntryLayout.OPTIONAL_OFFSET, expiresAt);
        }
        if ((flags & EntryLayout.WRITTEN) != 0) {
            MEMORY.writeLong(e + EntryLayout.writtenAtOffset(flags), now);
        }
        MEMORY.copyMemory(keyAddr, e + headerLength, keyLength);
        MEMORY.copyMemory(valueAddr, e + headerLength + keyLength, valueLength);
        MEMORY.writeInt(e + EntryLayout.CHECKSUM_OFFSET, EntryValidator.checksum(e, (long) headerLength + keyLength + valueLength));
        if ((flags & EntryLayout.EXPIRES) != 0 && !holdsExpiring()) {
            MEMORY.writeOrderedInt(header + SegmentLayout.FLAGS_OFFSET,
                    MEMORY.readInt(header + SegmentLayout.FLAGS_OFFSET) | SegmentLayout.HELD_EXPIRING);
        }
        // making room may have purged, evicted or rehashed: only then is the slot looked up again
        int at = reshapes == shape ? i : slots.locate(keyAddr, keyLength, hash, reserved);
        int slotIndex = at >= 0 ? at : -at - 1;
        long previous = slots.slotAt(slotIndex);
        int oldChunk = -1;
        int oldChunks = 0;
        boolean replaced = false;
        if (at >= 0) {
            oldChunk = entries.chunk(previous, reserved);
            long oldShape = entries.shape(oldChunk, reserved);
            oldChunks = EntryValidator.chunksSpanned(oldShape);
            replaced = EntryValidator.expiresAt(entries.address(oldChunk), oldShape) > now;
        } else if (SegmentLayout.isLive(previous)) {
            throw new Inconsistent("no free slot on the probe path of a key; slot " + slotIndex + " is taken");
        }
        slots.publish(slotIndex, SegmentLayout.slot((int) (hash >>> 32), chunk));
        // visible: nothing below can fail
        bump(SegmentLayout.WRITE_SEQUENCE_OFFSET, 1);
        if (oldChunk >= 0) {
            chunks.free(oldChunk, oldChunks, reserved);
        } else {
            slots.countInsert(previous);
        }
        if (record) {
            feed.record(ChangeType.PUT, replaced, keyAddr, keyLength, hash, entryRef(chunk));
        }
    }

    /** Deletes the live entry in slot {@code i}, recording {@code why}; rehashes a crowded table. */
    void remove(int i, ChangeType why) {
        removeAt(i, why);
        rehashIfCrowded();
    }

    /** Checks the entry, then unpublishes it: nothing after the slot store can fail. */
    private void removeAt(int i, ChangeType why) {
        int reserved = chunks.chunks();
        long old = slots.slotAt(i);
        int chunk = entries.chunk(old, reserved);
        long shape = entries.shape(chunk, reserved);
        long e = entries.address(chunk);
        reshapes++;
        slots.publish(i, SegmentLayout.TOMBSTONE);
        slots.countDelete();
        // the freed chunks keep the key's bytes until a later allocation, which needs this lock
        chunks.free(chunk, EntryValidator.chunksSpanned(shape), reserved);
        int keyLength = EntryValidator.keyLength(shape);
        long keyAddr = e + EntryValidator.headerLength(shape);
        feed.record(why, false, keyAddr, keyLength, Hashing.keyHash(keyAddr, keyLength), entryRef(chunk));
    }

    /**
     * Rehashes, at the same size, once deleted slots fill a quarter of the table; drops damaged slots.
     * It comes after a remove was published, so it must not fail: when the file system has no room for
     * the new table, the tombstones stay until a later rehash finds room.
     */
    private void rehashIfCrowded() {
        int size = slots.slots();
        if (slots.tombstones() > size / 4) {
            try {
                rehash(size);
            } catch (StoreFullException noRoom) {
                // nothing was written: the active table is untouched
            }
        }
    }

    private void rehash(int newSlots) {
        reshapes++;
        bump(SegmentLayout.DAMAGED_OFFSET, slots.rehash(newSlots, chunks.chunks()));
    }

    private long entryRef(int chunk) {
        return ((long) index << 32) | (chunk & 0xFFFF_FFFFL);
    }

    /** Removes every entry: an empty table of the same size becomes active, the bitmap clears. */
    void clear() {
        reshapes++;
        slots.clear();
        chunks.clear(chunks.chunks());
    }

    /** Removes every expired entry. */
    int purgeExpired(long now) {
        Probes.EXPIRY_PURGE.increment();
        int reserved = chunks.chunks();
        int size = slots.slots();
        int purged = 0;
        for (int i = 0; i < size; i++) {
            long slot = slots.slotAt(i);
            if (SegmentLayout.isLive(slot) && entries.expiresAtOf(slot, reserved) <= now) {
                removeAt(i, ChangeType.EXPIRE);
                purged++;
            }
        }
        bump(SegmentLayout.EXPIRATIONS_OFFSET, purged);
        rehashIfCrowded();
        return purged;
    }

    /**
     * Keeps live plus deleted slots, with the one about to be added, within {@link Sizing#MAX_LOAD} of
     * the table: by rehashing away tombstones, purging, evicting, or growing the table.
     */
    private void ensureSlotRoom(long now) {
        int size = slots.slots();
        if (slots.count() + slots.tombstones() + 1 <= size * Sizing.MAX_LOAD) {
            return;
        }
        if (slots.tombstones() > 0) {
            rehash(size);
        }
        if (slots.count() + 1 <= size * Sizing.MAX_LOAD) {
            return;
        }
        purgeExpired(now);
        while (slots.count() + 1 > size * Sizing.MAX_LOAD) {
            if (config.fullPolicy() == FullPolicy.EVICT ? !evictOneExcept(SegmentLayout.EMPTY) : !growSlots(size)) {
                throw full("slots", "all " + slots.count() + " slots usable in its table of " + size + " are taken");
            }
            size = slots.slots();
        }
    }

    /** A table half as large again, within the room a table has and the store's cap; false when neither allows. */
    private boolean growSlots(int size) {
        int target = Math.min(config.maxSlots(), size + Math.max(size / 2, StoreLayout.MIN_SLOTS));
        long more = StoreLayout.pageAlign((long) target * Long.BYTES) - StoreLayout.pageAlign((long) size * Long.BYTES);
        if (target <= size || !mayReserve.test(more)) {
            return false;
        }
        Probes.GROWTH.increment();
        rehash(target);
        bump(SegmentLayout.GROWTHS_OFFSET, 1);
        StoreLog.grew(config.name(), index, "its slot table", size, target);
        return true;
    }

    /**
     * Finds {@code need} free contiguous chunks, making room as the policy allows, and takes them. The
     * chunks of {@code keep} (the entry being replaced) are never evicted.
     */
    private int allocate(int need, long keep, long now) {
        int reserved = chunks.chunks();
        int chunk = chunks.findRun(need, reserved);
        if (chunk < 0) {
            purgeExpired(now);
            chunk = chunks.findRun(need, reserved);
        }
        while (chunk < 0 && config.fullPolicy() == FullPolicy.EVICT && evictOneExcept(keep)) {
            chunk = chunks.findRun(need, reserved);
        }
        while (chunk < 0 && growData(need)) {
            chunks.moveCursor(reserved);
            reserved = chunks.chunks();
            chunk = chunks.findRun(need, reserved);
        }
        if (chunk < 0) {
            throw full("data", "no run of " + need + " free chunks of " + SegmentLayout.CHUNK + " bytes; "
                    + (reserved - chunks.used()) + " of " + reserved + " reserved chunks are free");
        }
        chunks.take(chunk, need, reserved);
        return chunk;
    }

    /**
     * Reserves a sixteenth more data (at least {@code need} chunks and a page), within the data part's
     * room and the store's cap; false when neither allows any more. The pages are reserved before the
     * larger count is published.
     */
    private boolean growData(int need) {
        int reserved = chunks.chunks();
        long target = Math.min(config.maxChunks(), reserved + Math.max(need, Math.max(reserved / 16, MIN_GROWTH_CHUNKS)));
        if (target <= reserved) {
            return false;
        }
        long oldBytes = SegmentLayout.bitmapBytes(reserved) + StoreLayout.pageAlign((long) reserved * SegmentLayout.CHUNK);
        long newBytes = SegmentLayout.bitmapBytes(target) + StoreLayout.pageAlign(target * SegmentLayout.CHUNK);
        if (!mayReserve.test(newBytes - oldBytes)) {
            return false;
        }
        Probes.GROWTH.increment();
        reserveMore(SegmentLayout.dataOffset(config.maxSlots(), config.maxChunks()),
                StoreLayout.pageAlign((long) reserved * SegmentLayout.CHUNK), StoreLayout.pageAlign(target * SegmentLayout.CHUNK));
        reserveMore(SegmentLayout.bitmapOffset(config.maxSlots()), SegmentLayout.bitmapBytes(reserved),
                SegmentLayout.bitmapBytes(target));
        chunks.setChunks((int) target);
        bump(SegmentLayout.GROWTHS_OFFSET, 1);
        StoreLog.grew(config.name(), index, "its data, in " + SegmentLayout.CHUNK + "-byte chunks,", reserved, target);
        return true;
    }

    /** Reserves bytes {@code [from, to)} of a part of the range that starts at {@code part}. */
    private void reserveMore(long part, long from, long to) {
        if (to > from) {
            space.reserve(rangeOffset + part + from, to - from);
        }
    }

    /** Evicts the oldest-written of up to eight live entries from a random place, never {@code keep}. */
    private boolean evictOneExcept(long keep) {
        Probes.EVICTION.increment();
        int reserved = chunks.chunks();
        int size = slots.slots();
        int start = ThreadLocalRandom.current().nextInt(size);
        int victim = -1;
        long oldest = Long.MAX_VALUE;
        int seen = 0;
        for (int k = 0; k < size && seen < EVICTION_SAMPLE; k++) {
            int i = start + k < size ? start + k : start + k - size;
            long slot = slots.slotAt(i);
            if (SegmentLayout.isLive(slot) && slot != keep) {
                seen++;
                long at = entries.writtenAtOf(slot, reserved);
                if (at < oldest) {
                    oldest = at;
                    victim = i;
                }
            }
        }
        if (victim < 0) {
            return false;
        }
        removeAt(victim, ChangeType.EVICT);
        bump(SegmentLayout.EVICTIONS_OFFSET, 1);
        return true;
    }

    private StoreFullException full(String what, String detail) {
        return new StoreFullException("store \"" + config.name() + "\" is full: segment " + index + " has no room in its "
                + what + " (" + detail + ") and may grow no further. It was sized for " + config.entries()
                + " entries, growing to " + config.maxEntries() + ", of about " + config.averageKeySize()
                + "-byte keys and " + config.averageValueSize() + "-byte values; raise maxEntries, entries,"
                + " averageKeySize or averageValueSize, or use fullPolicy(EVICT)");
    }
}
