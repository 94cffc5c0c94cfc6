package io.shmstore.internal.platform;

/**
 * A range of a region mapped into this process: {@code length} bytes starting at native address
 * {@code address}. {@link #unmap()} is called exactly once, by the view that owns it.
 */
public interface Mapping {
    /** Memory mapped by someone else, who unmaps it: unmapping or retiring this does nothing. */
    static Mapping borrowed(long address, long length) {
        return new Mapping() {
            @Override
            public long address() {
                return address;
            }

            @Override
            public long length() {
                return length;
            }

            @Override
            public boolean writable() {
                return true;
            }

            @Override
            public void unmap() {
                // the lender unmaps
            }

            @Override
            public Runnable retire() {
                return () -> { };
            }
        };
    }

    long address();

    long length();

    boolean writable();

    void unmap();

    /**
     * Gives the mapping up while a thread may still touch its addresses (a view closed under a racing
     * user of its bytes). Where the platform can, the range is replaced in place by private,
     * zero-filled memory, so a late access reads zeros or writes where nobody looks instead of faulting,
     * and the file's pages are let go at once. The returned action frees what is left at the addresses;
     * call it once nothing can reach them. This default keeps the mapping until then.
     */
    default Runnable retire() {
        return this::unmap;
    }
}
