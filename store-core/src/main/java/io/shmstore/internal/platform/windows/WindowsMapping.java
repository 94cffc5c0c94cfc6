package io.shmstore.internal.platform.windows;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Kernel32;
import io.shmstore.internal.platform.OnceMapping;

/**
 * A view mapped by {@code MapViewOfFile}. Views start at a multiple of the allocation granularity,
 * so the caller's first byte is {@code delta} bytes after the view's base; {@link #unmap()} releases
 * the whole view from its base, which is the only address {@code UnmapViewOfFile} accepts. A view
 * keeps its section alive by itself, so it stays valid after its region is closed.
 */
final class WindowsMapping extends OnceMapping {
    private final Pointer base;

    WindowsMapping(Pointer base, long delta, long length, boolean writable) {
        super(Pointer.nativeValue(base) + delta, length, writable);
        this.base = base;
    }

    @Override
    protected void release() {
        if (!Kernel32.INSTANCE.UnmapViewOfFile(base)) {
            throw Win32Errors.toException(Win32.lastError(), "cannot unmap the view at 0x"
                    + Long.toHexString(Pointer.nativeValue(base)));
        }
    }
}
