package io.shmstore.internal.platform;

/**
 * A range of a region mapped into this process: {@code length} bytes starting at native address
 * {@code address}. {@link #unmap()} is called exactly once, by the view that owns it.
 */
public interface Mapping {
    long address();

    long length();

    boolean writable();

    void unmap();
}
