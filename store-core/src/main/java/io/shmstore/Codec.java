package io.shmstore;

import net.openhft.chronicle.bytes.Bytes;

/**
 * How keys or values become bytes in shared memory and back. A codec is part of a store's format:
 * its {@link #id()} goes into the store's header, and opening a store with a codec of another id
 * fails with {@link IncompatibleStoreException}.
 *
 * <p>Implementations must be thread-safe (one instance serves every thread), must write the same
 * bytes for equal values (keys are compared as bytes), and must read only the bytes they wrote.
 *
 * @param <T> the type of the values it writes
 */
public interface Codec<T> {
    /**
     * Appends {@code value} at {@code out}'s write position.
     *
     * @param out   where to write
     * @param value the value, never null
     */
    void write(Bytes<?> out, T value);

    /**
     * Reads a value from {@code in}'s read position, filling {@code reuse} when it is not null and the
     * codec can (then returning it), so a caller that passes the same object each time allocates
     * nothing.
     *
     * @param in    where to read, positioned on the bytes {@link #write} wrote and limited to them
     * @param reuse an object to fill, or null
     * @return the value read, possibly {@code reuse}
     */
    T read(Bytes<?> in, T reuse);

    /**
     * Stable identity of the format: the same id must mean the same bytes in every version of the
     * codec, in every process. For example {@code "string-utf8"} or {@code "json:com.acme.Quote"}.
     *
     * @return the id
     */
    String id();
}
