package io.shmstore.memory;

/**
 * What the named-object model does on this platform where platforms differ: ShmStore takes Windows'
 * model and makes it portable, and a few of its promises cannot be kept everywhere. Each flag names
 * one promise; where a platform cannot keep it, the call that needs it fails with the exception its
 * documentation names (never silently), and the contract tests check, per platform, whichever
 * behaviour the flag announces. Obtained from {@link SharedMemory#capabilities()}.
 *
 * <table>
 *   <caption>the flags per backend</caption>
 *   <tr><th>flag</th><th>linux</th><th>posix-nio</th><th>windows</th></tr>
 *   <tr><td>{@link #persistentMemoryOnly}</td><td>yes</td><td>yes</td><td>no</td></tr>
 *   <tr><td>{@link #destroyFreesTheName}</td><td>yes</td><td>yes</td><td>no</td></tr>
 *   <tr><td>{@link #destroyWhileMapped}</td><td>yes</td><td>yes</td><td>no</td></tr>
 *   <tr><td>{@link #fileBackedUntilLastClose}</td><td>yes</td><td>yes</td><td>no</td></tr>
 *   <tr><td>{@link #listsNamedObjects}</td><td>yes</td><td>yes</td><td>no</td></tr>
 *   <tr><td>{@link #releasesStorage}</td><td>yes</td><td>no</td><td>no</td></tr>
 *   <tr><td>{@link #unreservedReadsAsZeros}</td><td>yes</td><td>yes</td><td>no</td></tr>
 *   <tr><td>{@link #uncontendedLockWithoutSystemCall}</td><td>yes</td><td>yes</td><td>no</td></tr>
 * </table>
 *
 * @param persistentMemoryOnly             a memory-only mapping can be {@link Lifetime#PERSISTENT}: it outlives
 *                                         every handle until {@link SharedMemory#destroy()}. Where not (Windows,
 *                                         whose paging-file sections go with their last handle), creating one
 *                                         throws {@link UnsupportedOperationException}; back it by a file instead
 * @param destroyFreesTheName              {@link SharedMemory#destroy()} of a memory-only mapping removes its name at
 *                                         once, so the name can be created again while other handles still map
 *                                         the old object. Where not (Windows: a kernel object's name lasts until its
 *                                         last handle closes), opens of the destroyed name fail with
 *                                         {@link io.shmstore.StoreNotFoundException}, and creates (createOrOpen
 *                                         too) with {@link io.shmstore.StoreExistsException} saying it was
 *                                         destroyed and is still held open, until every handle is closed
 * @param destroyWhileMapped               {@link SharedMemory#destroy()} of a file-backed mapping deletes the file
 *                                         even while views of it are mapped, in this process or others, and
 *                                         those views stay valid. Where not promised (Windows, where it depends on
 *                                         the version and the file system), destroy either deletes the file or
 *                                         throws {@link io.shmstore.StoreException} naming it and saying to close
 *                                         the views and delete it
 * @param fileBackedUntilLastClose         a file-backed mapping can be {@link Lifetime#UNTIL_LAST_CLOSE}. Where
 *                                         not (Windows: nothing counts a file's handles across processes),
 *                                         creating one throws {@link UnsupportedOperationException}
 * @param listsNamedObjects                {@link SharedMemory#list()} enumerates the named objects; where not
 *                                         (Windows has no enumeration of a session's kernel objects), it is empty
 * @param releasesStorage                  {@link MemoryView#release} gives storage back; where not, it returns false
 *                                         and the bytes keep their content and space
 * @param unreservedReadsAsZeros           in a {@link SharedMemory.Builder#sparse() sparse} mapping, a range
 *                                         that was never reserved reads as zeros. Where not (Windows: an
 *                                         unreserved range of a sparse memory-only section is not committed, and
 *                                         touching it faults), reserve a range before touching it at all
 * @param uncontendedLockWithoutSystemCall an uncontended {@link NamedMutex} acquire and release are one atomic
 *                                         instruction each, no system call; where not (Windows kernel mutexes),
 *                                         each is a system call, about a microsecond
 */
public record Capabilities(boolean persistentMemoryOnly, boolean destroyFreesTheName, boolean destroyWhileMapped,
                           boolean fileBackedUntilLastClose, boolean listsNamedObjects, boolean releasesStorage,
                           boolean unreservedReadsAsZeros, boolean uncontendedLockWithoutSystemCall) {
}
