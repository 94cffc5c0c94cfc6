package io.shmstore.internal.store;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeFeed;
import io.shmstore.Codec;
import io.shmstore.internal.sync.Lifecycle;

/** A store's {@link ChangeFeed}: its {@link ChangeRing}, read with the store's key codec. */
final class Feed<K> implements ChangeFeed<K> {
    private final ChangeRing ring;
    private final Codec<K> keyCodec;
    private final Lifecycle store;

    Feed(ChangeRing ring, Codec<K> keyCodec) {
        this.ring = ring;
        this.keyCodec = keyCodec;
        this.store = ring.store();
    }

    /** The last record claimed: published, or being written by a writer whose change is already visible. */
    @Override
    public long lastSequence() {
        int use = store.enter();
        try {
            return ring.tail() - 1;
        } finally {
            store.exit(use);
        }
    }

    @Override
    public int capacity() {
        return ring.capacity();
    }

    @Override
    public ChangeCursor<K> cursor() {
        int use = store.enter();
        try {
            return new FeedCursor<>(ring, keyCodec, ring.tail());
        } finally {
            store.exit(use);
        }
    }

    @Override
    public ChangeCursor<K> cursorFrom(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence " + sequence + " is negative");
        }
        store.checkOpen();
        return new FeedCursor<>(ring, keyCodec, sequence);
    }
}
