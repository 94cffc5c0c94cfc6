package io.shmstore.internal.platform.posix;

/**
 * The one table of error numbers the Linux backend can meet, by name and meaning: every message that
 * shows an errno shows it as {@link #describe(int)} does, {@code "open: EISDIR (is a directory)"},
 * never as a bare number. The numbers are Linux's generic ones, which x86-64 and aarch64 (the two
 * architectures {@link LinuxLibc} binds) share.
 */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EXDEV = 18;
    static final int ENODEV = 19;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int ETXTBSY = 26;
    static final int EFBIG = 27;
    static final int ENOSPC = 28;
    static final int ESPIPE = 29;
    static final int EROFS = 30;
    static final int EMLINK = 31;
    static final int ERANGE = 34;
    static final int ENAMETOOLONG = 36;
    static final int ELOOP = 40;
    static final int EOVERFLOW = 75;
    static final int EOPNOTSUPP = 95;
    static final int ETIMEDOUT = 110;
    static final int EDQUOT = 122;

    private Errno() {
    }

    /** {@code "EISDIR (is a directory)"}; {@code "errno 1234 (unknown)"} for a number not in the table. */
    static String describe(int errno) {
        switch (errno) {
            case EPERM: return "EPERM (operation not permitted)";
            case ENOENT: return "ENOENT (no such file or directory)";
            case EINTR: return "EINTR (interrupted system call)";
            case EIO: return "EIO (input/output error)";
            case ENXIO: return "ENXIO (no such device or address)";
            case EBADF: return "EBADF (bad file descriptor)";
            case EAGAIN: return "EAGAIN (resource temporarily unavailable)";
            case ENOMEM: return "ENOMEM (out of memory)";
            case EACCES: return "EACCES (permission denied)";
            case EBUSY: return "EBUSY (device or resource busy)";
            case EEXIST: return "EEXIST (file exists)";
            case EXDEV: return "EXDEV (cross-device link)";
            case ENODEV: return "ENODEV (no such device)";
            case ENOTDIR: return "ENOTDIR (not a directory)";
            case EISDIR: return "EISDIR (is a directory)";
            case EINVAL: return "EINVAL (invalid argument)";
            case ENFILE: return "ENFILE (too many open files in the system)";
            case EMFILE: return "EMFILE (too many open files in this process)";
            case ETXTBSY: return "ETXTBSY (text file busy)";
            case EFBIG: return "EFBIG (file too large)";
            case ENOSPC: return "ENOSPC (no space left on device)";
            case ESPIPE: return "ESPIPE (illegal seek)";
            case EROFS: return "EROFS (read-only file system)";
            case EMLINK: return "EMLINK (too many links)";
            case ERANGE: return "ERANGE (result out of range)";
            case ENAMETOOLONG: return "ENAMETOOLONG (file name too long)";
            case ELOOP: return "ELOOP (a symbolic link where none is followed)";
            case EOVERFLOW: return "EOVERFLOW (value too large for its type)";
            case EOPNOTSUPP: return "EOPNOTSUPP (operation not supported)";
            case ETIMEDOUT: return "ETIMEDOUT (timed out)";
            case EDQUOT: return "EDQUOT (disk quota exceeded)";
            default: return "errno " + errno + " (unknown)";
        }
    }
}
