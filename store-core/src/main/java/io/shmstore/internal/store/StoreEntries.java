package io.shmstore.internal.store;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The entry set of a {@link StoreImpl}. Its iterator is weakly consistent: each segment is read as one
 * consistent snapshot (one use of the store) when the iterator reaches it, so a closed store throws
 * {@link IllegalStateException} from the next segment on.
 */
final class StoreEntries<K, V> extends AbstractSet<Map.Entry<K, V>> {
    private final StoreImpl<K, V> store;
    private final ByteStore bytes;

    StoreEntries(StoreImpl<K, V> store, ByteStore bytes) {
        this.store = store;
        this.bytes = bytes;
    }

    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return new EntryIterator();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public boolean contains(Object o) {
        if (!(o instanceof Map.Entry<?, ?> e)) {
            return false;
        }
        V v = store.get(e.getKey());
        return v != null && Objects.deepEquals(v, e.getValue());
    }

    @Override
    public boolean remove(Object o) {
        return o instanceof Map.Entry<?, ?> e && store.remove(e.getKey(), e.getValue());
    }

    @Override
    public void clear() {
        store.clear();
    }

    private final class EntryIterator implements Iterator<Map.Entry<K, V>> {
        private int segment;
        private final List<Map.Entry<K, V>> batch = new ArrayList<>();
        private int position;
        private Map.Entry<K, V> last;

        @Override
        public boolean hasNext() {
            bytes.life().checkOpen();
            while (position >= batch.size() && segment < bytes.segments()) {
                batch.clear();
                position = 0;
                bytes.snapshot(segment++, copy -> batch.add(store.decodeEntry(copy)));
            }
            return position < batch.size();
        }

        @Override
        public Map.Entry<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            last = batch.get(position++);
            return last;
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException("next() has not been called, or remove() was already called");
            }
            store.remove(last.getKey());
            last = null;
        }
    }
}
