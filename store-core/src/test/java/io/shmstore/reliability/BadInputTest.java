package io.shmstore.reliability;

import io.shmstore.Codec;
import io.shmstore.Codecs;
import io.shmstore.FullPolicy;
import io.shmstore.IncompatibleStoreException;
import io.shmstore.ReadOnlyStoreException;
import io.shmstore.SemaphoreFullException;
import io.shmstore.SharedStore;
import io.shmstore.StoreException;
import io.shmstore.StoreExistsException;
import io.shmstore.StoreFullException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.store.StoreLayout;
import io.shmstore.memory.Access;
import io.shmstore.memory.EventMode;
import io.shmstore.memory.Lifetime;
import io.shmstore.memory.MemoryView;
import io.shmstore.memory.NamedEvent;
import io.shmstore.memory.NamedMutex;
import io.shmstore.memory.NamedSemaphore;
import io.shmstore.memory.SharedMemory;
import io.shmstore.testing.ShmDirExtension;
import io.shmstore.testing.SpecialFiles;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every public entry point, given bad input, throws the documented exception type with a message that
 * names the offending value, and leaves existing objects as they were. One row per input. The table
 * has no random part, so {@code shmstore.soak} does not change it.
 */
@ExtendWith(ShmDirExtension.class)
class BadInputTest {
    private static final String KNOWN = "known";
    private static final long HUGE = Long.MAX_VALUE;

    /** What every row may touch: a store with one entry, a 4 KiB mapping, a mutex, files in the shm dir. */
    static final class Fixture implements AutoCloseable {
        final SharedStore<String, String> store = SharedStore.of(String.class, String.class).name("store")
                .entries(64).averageValueSize(32).create();
        final SharedMemory memory = SharedMemory.create("memory", 4096);
        final NamedMutex mutex = NamedMutex.createOrOpen("mutex");
        final Path dir = ShmDirExtension.dir();

        Fixture() {
            store.put(KNOWN, "value");
        }

        /** A file at object name {@code name} with these bytes, as some other program might leave. */
        void foreignFile(String name, byte[] bytes) throws Exception {
            Files.write(dir.resolve("shmstore." + name), bytes);
        }

        @Override
        public void close() {
            store.close();
            memory.close();
            mutex.close();
        }
    }

    @FunctionalInterface
    interface Action {
        void run(Fixture f) throws Exception;
    }

    private static Arguments row(String description, Class<? extends Throwable> expected, String named, Action action) {
        return Arguments.of(description, expected, named, action);
    }

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        sharedMemory(rows);
        mutexesAndEvents(rows);
        semaphoresAndUnnamedMappings(rows);
        storeBuilder(rows);
        storeOpening(rows);
        storeOperations(rows);
        return rows.stream();
    }

    private static void sharedMemory(List<Arguments> rows) {
        rows.add(row("create: empty name", IllegalArgumentException.class, "\"\"", f -> SharedMemory.create("", 10)));
        rows.add(row("create: path in the name", IllegalArgumentException.class, "../x", f -> SharedMemory.create("../x", 10)));
        rows.add(row("create: NUL in the name", IllegalArgumentException.class, "a\\u0000b",
                f -> SharedMemory.create("a\0b", 10)));
        rows.add(row("create: 129-character name", IllegalArgumentException.class, "length 129",
                f -> SharedMemory.create("n".repeat(129), 10)));
        rows.add(row("create: name starting with a dot", IllegalArgumentException.class, ".hidden",
                f -> SharedMemory.create(".hidden", 10)));
        rows.add(row("create: null name", NullPointerException.class, "name", f -> SharedMemory.create(null, 10)));
        rows.add(row("create: size 0", IllegalArgumentException.class, "size 0", f -> SharedMemory.create("m", 0)));
        rows.add(row("create: size -1", IllegalArgumentException.class, "size -1", f -> SharedMemory.create("m", -1)));
        rows.add(row("create: size Long.MAX_VALUE", IllegalArgumentException.class, "size " + HUGE,
                f -> SharedMemory.create("m", HUGE)));
        rows.add(row("create: size one past the limit", IllegalArgumentException.class,
                "size " + (ObjectHeader.MAX_USER_SIZE + 1), f -> SharedMemory.create("m", ObjectHeader.MAX_USER_SIZE + 1)));
        rows.add(row("create: the name is taken", StoreExistsException.class, "memory",
                f -> SharedMemory.create("memory", 10)));
        rows.add(row("create: the name is a mutex's", StoreExistsException.class, "mutex",
                f -> SharedMemory.create("mutex", 10)));
        rows.add(row("open: absent name", StoreNotFoundException.class, "absent", f -> SharedMemory.open("absent")));
        rows.add(row("open: null access", NullPointerException.class, "access",
                f -> SharedMemory.open("memory", null)));
        rows.add(row("open: a mutex's name", IncompatibleStoreException.class, "mutex", f -> SharedMemory.open("mutex")));
        rows.add(row("open: a non-ShmStore file at the name", IncompatibleStoreException.class, "not a ShmStore object",
                f -> {
                    f.foreignFile("foreign", "just some text, not a header".repeat(1000).getBytes(StandardCharsets.UTF_8));
                    SharedMemory.open("foreign");
                }));
        rows.add(row("open: a zero-length file at the name", IncompatibleStoreException.class, "0 bytes", f -> {
            f.foreignFile("empty", new byte[0]);
            SharedMemory.open("empty");
        }));
        rows.add(row("open: with a lifetime, which applies only to creation", IllegalStateException.class, "lifetime",
                f -> SharedMemory.named("memory").lifetime(Lifetime.PERSISTENT).open(Access.READ_WRITE)));
        rows.add(row("createOrOpen: existing and smaller than asked", IncompatibleStoreException.class, "8192",
                f -> SharedMemory.createOrOpen("memory", 8192)));
        rows.add(row("createOrOpen: size 0", IllegalArgumentException.class, "size 0",
                f -> SharedMemory.createOrOpen("m", 0)));
        rows.add(row("create: a directory at the name", StoreExistsException.class, "it is a directory", f -> {
            Files.createDirectory(f.dir.resolve("shmstore.folder"));
            SharedMemory.create("folder", 10);
        }));
        rows.add(row("create: a symbolic link at the name", StoreExistsException.class, "it is a symbolic link", f -> {
            Files.createSymbolicLink(f.dir.resolve("shmstore.link"), f.dir.resolve("shmstore.memory"));
            SharedMemory.create("link", 10);
        }));
        rows.add(row("create: a FIFO at the name", StoreExistsException.class, "it is a FIFO", f -> {
            SpecialFiles.fifo(f.dir.resolve("shmstore.pipe"), "0600");
            SharedMemory.create("pipe", 10);
        }));
        rows.add(row("open: a directory at the name", IncompatibleStoreException.class, "it is a directory", f -> {
            Files.createDirectory(f.dir.resolve("shmstore.folder"));
            SharedMemory.open("folder");
        }));
        rows.add(row("builder: trustOwner of a user this host does not have", IllegalArgumentException.class,
                "\"no-such-user-4711\"", f -> SharedMemory.named("m").trustOwner("no-such-user-4711")));
        rows.add(row("builder: trustOwner null", NullPointerException.class, "user",
                f -> SharedMemory.named("m").trustOwner(null)));
        rows.add(row("createBackedBy: null file", NullPointerException.class, "file",
                f -> SharedMemory.createBackedBy(null, 10)));
        rows.add(row("createBackedBy: size -1", IllegalArgumentException.class, "size -1",
                f -> SharedMemory.createBackedBy(f.dir.resolve("file.map"), -1)));
        rows.add(row("createBackedBy: in a missing directory", StoreException.class, "no-such-dir",
                f -> SharedMemory.createBackedBy(f.dir.resolve("no-such-dir").resolve("file.map"), 10)));
        rows.add(row("createBackedBy: the file exists", StoreExistsException.class, "taken.map", f -> {
            Files.write(f.dir.resolve("taken.map"), new byte[100]);
            SharedMemory.createBackedBy(f.dir.resolve("taken.map"), 10);
        }));
        rows.add(row("builder: size set twice", IllegalStateException.class, "size was already set to 10",
                f -> SharedMemory.named("m").size(10).size(20)));
        rows.add(row("builder: permissions without owner write", IllegalArgumentException.class, "r--------",
                f -> SharedMemory.named("m").permissions("r--------")));
        rows.add(row("builder: create without a size", IllegalStateException.class, "size must be set",
                f -> SharedMemory.named("m").create()));
        rows.add(row("map: offset -1", IllegalArgumentException.class, "offset -1",
                f -> f.memory.map(-1, 10, Access.READ_WRITE)));
        rows.add(row("map: length 0", IllegalArgumentException.class, "length 0",
                f -> f.memory.map(0, 0, Access.READ_WRITE)));
        rows.add(row("map: range past the end", IllegalArgumentException.class, "offset 4000, length 200",
                f -> f.memory.map(4000, 200, Access.READ_WRITE)));
        rows.add(row("map: length Long.MAX_VALUE", IllegalArgumentException.class, "length " + HUGE,
                f -> f.memory.map(0, HUGE, Access.READ_WRITE)));
        rows.add(row("map: offset Long.MAX_VALUE", IllegalArgumentException.class, "offset " + HUGE,
                f -> f.memory.map(HUGE, 1, Access.READ_WRITE)));
        rows.add(row("map: null access", NullPointerException.class, "access", f -> f.memory.map(0, 10, null)));
        rows.add(row("map: writable view of a read-only handle", ReadOnlyStoreException.class, "read-only", f -> {
            try (SharedMemory ro = SharedMemory.open("memory", Access.READ_ONLY)) {
                ro.map(0, 10, Access.READ_WRITE);
            }
        }));
        rows.add(row("view: a read past its end", IndexOutOfBoundsException.class, "4093", f -> {
            try (MemoryView v = f.memory.map(0, 4096, Access.READ_ONLY)) {
                v.bytes().readLong(4093);
            }
        }));
        rows.add(row("view: a write through a read-only view", ReadOnlyStoreException.class, "read-only", f -> {
            try (MemoryView v = f.memory.map(0, 4096, Access.READ_ONLY)) {
                v.bytes().writeLong(0, 1);
            }
        }));
    }

    private static void mutexesAndEvents(List<Arguments> rows) {
        rows.add(row("mutex: null name", NullPointerException.class, "name", f -> NamedMutex.createOrOpen(null)));
        rows.add(row("mutex: bad name", IllegalArgumentException.class, "a b", f -> NamedMutex.createOrOpen("a b")));
        rows.add(row("mutex: null permissions", NullPointerException.class, "permissions",
                f -> NamedMutex.createOrOpen("m", null)));
        rows.add(row("mutex: null trusted owners", NullPointerException.class, "trustedOwners",
                f -> NamedMutex.createOrOpen("m", SharedMemory.OWNER_ONLY, null)));
        rows.add(row("event: a trusted owner this host does not have", IllegalArgumentException.class,
                "\"no-such-user-4711\"", f -> NamedEvent.createOrOpen("e", EventMode.AUTO_RESET, SharedMemory.OWNER_ONLY,
                        java.util.Set.of("no-such-user-4711"))));
        rows.add(row("mutex: a mapping's name", IncompatibleStoreException.class, "memory",
                f -> NamedMutex.createOrOpen("memory")));
        rows.add(row("mutex: acquire with a null timeout", NullPointerException.class, "timeout",
                f -> f.mutex.acquire(null)));
        rows.add(row("mutex: acquire with a negative timeout", IllegalArgumentException.class, "PT-0.001S",
                f -> f.mutex.acquire(Duration.ofMillis(-1))));
        rows.add(row("mutex: release without owning it", IllegalMonitorStateException.class, "mutex",
                f -> f.mutex.release()));
        rows.add(row("event: null mode", NullPointerException.class, "mode", f -> NamedEvent.createOrOpen("e", null)));
        rows.add(row("event: bad name", IllegalArgumentException.class, "e/1",
                f -> NamedEvent.createOrOpen("e/1", EventMode.AUTO_RESET)));
        rows.add(row("event: a mutex's name", IncompatibleStoreException.class, "mutex",
                f -> NamedEvent.createOrOpen("mutex", EventMode.MANUAL_RESET)));
        rows.add(row("event: await with a negative timeout", IllegalArgumentException.class, "PT-1S", f -> {
            try (NamedEvent e = NamedEvent.createOrOpen("e", EventMode.AUTO_RESET)) {
                e.await(Duration.ofSeconds(-1));
            }
        }));
        rows.add(row("event: await with a null timeout", NullPointerException.class, "timeout", f -> {
            try (NamedEvent e = NamedEvent.createOrOpen("e", EventMode.AUTO_RESET)) {
                e.await(null);
            }
        }));
    }

    @SuppressWarnings("try") // a semaphore opened only to exist while another open is tried
    private static void semaphoresAndUnnamedMappings(List<Arguments> rows) {
        rows.add(row("semaphore: max permits 0", IllegalArgumentException.class, "max permits 0",
                f -> NamedSemaphore.createOrOpen("s", 0, 0)));
        rows.add(row("semaphore: initial permits above the max", IllegalArgumentException.class, "initial permits 3",
                f -> NamedSemaphore.createOrOpen("s", 3, 2)));
        rows.add(row("semaphore: bad name", IllegalArgumentException.class, "s s",
                f -> NamedSemaphore.createOrOpen("s s", 1, 1)));
        rows.add(row("semaphore: null permissions", NullPointerException.class, "permissions",
                f -> NamedSemaphore.createOrOpen("s", 1, 1, null)));
        rows.add(row("semaphore: a mutex's name", IncompatibleStoreException.class, "mutex",
                f -> NamedSemaphore.createOrOpen("mutex", 1, 1)));
        rows.add(row("semaphore: other permit counts than it has", IncompatibleStoreException.class, "at most 2", f -> {
            try (NamedSemaphore s = NamedSemaphore.createOrOpen("s", 1, 2)) {
                NamedSemaphore.createOrOpen("s", 1, 3);
            }
        }));
        rows.add(row("semaphore: acquire 0 permits", IllegalArgumentException.class, "permits 0", f -> {
            try (NamedSemaphore s = NamedSemaphore.createOrOpen("s", 1, 1)) {
                s.acquire(0, Duration.ZERO);
            }
        }));
        rows.add(row("semaphore: release beyond the max", SemaphoreFullException.class, "max of 1", f -> {
            try (NamedSemaphore s = NamedSemaphore.createOrOpen("s", 1, 1)) {
                s.release();
            }
        }));
        rows.add(row("unnamed: size 0", IllegalArgumentException.class, "size 0", f -> SharedMemory.createUnnamed(0)));
        rows.add(row("unnamed: receive what is not a token", IllegalArgumentException.class, "\"nope\"",
                f -> SharedMemory.receive("nope")));
        rows.add(row("unnamed: hand over a named mapping", IllegalStateException.class, "memory",
                f -> f.memory.duplicateFor(ProcessHandle.current().pid(), Access.READ_ONLY)));
        rows.add(row("unnamed: hand over to pid 0", IllegalArgumentException.class, "pid 0", f -> {
            try (SharedMemory m = SharedMemory.createUnnamed(64)) {
                m.duplicateFor(0, Access.READ_ONLY);
            }
        }));
        rows.add(row("unnamed: inherit through a bad variable name", IllegalArgumentException.class, "A-B", f -> {
            try (SharedMemory m = SharedMemory.createUnnamed(64)) {
                m.inheritTo(new ProcessBuilder("true"), "A-B", Access.READ_ONLY);
            }
        }));
    }

    private static io.shmstore.SharedStoreBuilder<String, String> strings() {
        return SharedStore.of(String.class, String.class);
    }

    private static void storeBuilder(List<Arguments> rows) {
        rows.add(row("of: null key type", NullPointerException.class, "keyType", f -> SharedStore.of(null, String.class)));
        rows.add(row("of: null value type", NullPointerException.class, "valueType",
                f -> SharedStore.of(String.class, null)));
        rows.add(row("name: null", NullPointerException.class, "name", f -> strings().name(null)));
        rows.add(row("name: bad", IllegalArgumentException.class, "bad name", f -> strings().name("bad name")));
        rows.add(row("name: set twice", IllegalStateException.class, "\"one\"", f -> strings().name("one").name("two")));
        rows.add(row("persistedTo: after name", IllegalStateException.class, "\"one\"",
                f -> strings().name("one").persistedTo(f.dir.resolve("x.store"))));
        rows.add(row("persistedTo: null", NullPointerException.class, "file", f -> strings().persistedTo(null)));
        rows.add(row("entries: 0", IllegalArgumentException.class, "entries 0", f -> strings().entries(0)));
        rows.add(row("entries: -1", IllegalArgumentException.class, "entries -1", f -> strings().entries(-1)));
        rows.add(row("entries: 2^40 + 1", IllegalArgumentException.class, "entries " + ((1L << 40) + 1),
                f -> strings().entries((1L << 40) + 1)));
        rows.add(row("entries: set twice", IllegalStateException.class, "entries was already set to 10",
                f -> strings().entries(10).entries(20)));
        rows.add(row("averageKeySize: 0", IllegalArgumentException.class, "averageKeySize 0",
                f -> strings().averageKeySize(0)));
        rows.add(row("averageKeySize: over 16 MiB", IllegalArgumentException.class, "averageKeySize " + ((1 << 24) + 1),
                f -> strings().averageKeySize((1 << 24) + 1)));
        rows.add(row("averageValueSize: -1", IllegalArgumentException.class, "averageValueSize -1",
                f -> strings().averageValueSize(-1)));
        rows.add(row("averageValueSize: set twice", IllegalStateException.class, "averageValueSize was already set to 8",
                f -> strings().averageValueSize(8).averageValueSize(9)));
        rows.add(row("keyCodec: null", NullPointerException.class, "keyCodec", f -> strings().keyCodec(null)));
        rows.add(row("valueCodec: set twice", IllegalStateException.class, "string-utf8",
                f -> strings().valueCodec(Codecs.string()).valueCodec(Codecs.string())));
        rows.add(row("segments: 3, not a power of two", IllegalArgumentException.class, "segments 3",
                f -> strings().segments(3)));
        rows.add(row("segments: 0", IllegalArgumentException.class, "segments 0", f -> strings().segments(0)));
        rows.add(row("segments: 2^17", IllegalArgumentException.class, "segments " + (1 << 17),
                f -> strings().segments(1 << 17)));
        rows.add(row("segments: more than entries", IllegalStateException.class, "segments 64 is more than entries 8",
                f -> strings().name("s").entries(8).segments(64).create()));
        rows.add(row("fullPolicy: null", NullPointerException.class, "fullPolicy", f -> strings().fullPolicy(null)));
        rows.add(row("fullPolicy: set twice", IllegalStateException.class, "REJECT",
                f -> strings().fullPolicy(FullPolicy.REJECT).fullPolicy(FullPolicy.EVICT)));
        rows.add(row("expireAfterWrite: zero", IllegalArgumentException.class, "PT0S",
                f -> strings().expireAfterWrite(Duration.ZERO)));
        rows.add(row("expireAfterWrite: negative", IllegalArgumentException.class, "PT-1S",
                f -> strings().expireAfterWrite(Duration.ofSeconds(-1))));
        rows.add(row("expireAfterWrite: under a millisecond", IllegalArgumentException.class, "PT0.0005S",
                f -> strings().expireAfterWrite(Duration.ofNanos(500_000))));
        rows.add(row("expireAfterWrite: too long to count in milliseconds", IllegalArgumentException.class,
                Duration.ofSeconds(Long.MAX_VALUE).toString(),
                f -> strings().expireAfterWrite(Duration.ofSeconds(Long.MAX_VALUE))));
        rows.add(row("lifetime: null", NullPointerException.class, "lifetime", f -> strings().lifetime(null)));
        rows.add(row("trustOwner: a user this host does not have", IllegalArgumentException.class,
                "\"no-such-user-4711\"", f -> strings().trustOwner("no-such-user-4711")));
        rows.add(row("trustOwner: the same user twice", IllegalStateException.class, "\"root\" was already trusted",
                f -> strings().trustOwner("root").trustOwner("root")));
        rows.add(row("permissions: without owner write", IllegalArgumentException.class, "r--r--r--",
                f -> strings().permissions("r--r--r--")));
        rows.add(row("permissions: not a mode string", IllegalArgumentException.class, "rwxgarbage",
                f -> strings().permissions("rwxgarbage")));
        rows.add(row("memory builder permissions: not a mode string", IllegalArgumentException.class, "rw-",
                f -> SharedMemory.named("m").permissions("rw-")));
        rows.add(row("changeFeedCapacity: 100, not a power of two", IllegalArgumentException.class,
                "changeFeedCapacity 100", f -> strings().changeFeedCapacity(100)));
        rows.add(row("changeFeedCapacity: 32, below the minimum", IllegalArgumentException.class,
                "changeFeedCapacity 32", f -> strings().changeFeedCapacity(32)));
        rows.add(row("changeFeedCapacity: 2^25", IllegalArgumentException.class, "changeFeedCapacity " + (1 << 25),
                f -> strings().changeFeedCapacity(1 << 25)));
        rows.add(row("lockTimeout: negative", IllegalArgumentException.class, "PT-1S",
                f -> strings().lockTimeout(Duration.ofSeconds(-1))));
        rows.add(row("create: neither name nor file", IllegalStateException.class, "name(...) or persistedTo(...)",
                f -> strings().entries(10).create()));
        rows.add(row("create: an average size that contradicts a fixed-size codec", IllegalStateException.class,
                "averageValueSize 4", f -> SharedStore.of(String.class, Long.class).name("s").averageValueSize(4).create()));
        rows.add(row("create: a value type with no built-in codec", IllegalStateException.class, "java.lang.Object",
                f -> SharedStore.of(String.class, Object.class).name("s").create()));
    }

    /** A codec with the same Java type as the store's but another id. */
    private static final Codec<String> OTHER_CODEC = new Codec<>() {
        @Override
        public void write(Bytes<?> out, String value) {
            Codecs.string().write(out, value);
        }

        @Override
        public String read(Bytes<?> in, String reuse) {
            return Codecs.string().read(in, reuse);
        }

        @Override
        public String id() {
            return "other-strings";
        }
    };

    private static void storeOpening(List<Arguments> rows) {
        rows.add(row("create: the name is taken", StoreExistsException.class, "store", f -> strings().name("store").create()));
        rows.add(row("create: a symbolic link at the name", StoreExistsException.class, "it is a symbolic link", f -> {
            Files.createSymbolicLink(f.dir.resolve("shmstore.link"), f.dir.resolve("shmstore.store"));
            strings().name("link").create();
        }));
        rows.add(row("create: a directory at the file", StoreExistsException.class, "it is a directory", f -> {
            Files.createDirectory(f.dir.resolve("folder.store"));
            strings().persistedTo(f.dir.resolve("folder.store")).create();
        }));
        rows.add(row("open: absent", StoreNotFoundException.class, "absent", f -> strings().name("absent").open()));
        rows.add(row("open: absent file", StoreNotFoundException.class, "absent.store",
                f -> strings().persistedTo(f.dir.resolve("absent.store")).open()));
        rows.add(row("open: another value type", IncompatibleStoreException.class, "java.lang.Long",
                f -> SharedStore.of(String.class, Long.class).name("store").open()));
        rows.add(row("open: another value codec", IncompatibleStoreException.class, "other-strings",
                f -> strings().name("store").valueCodec(OTHER_CODEC).open()));
        rows.add(row("open: a plain mapping's name", IncompatibleStoreException.class, "memory",
                f -> strings().name("memory").open()));
        rows.add(row("open: a mutex's name", IncompatibleStoreException.class, "mutex", f -> strings().name("mutex").open()));
        rows.add(row("open: a non-ShmStore file at the name", IncompatibleStoreException.class, "not a ShmStore object", f -> {
            f.foreignFile("foreign", new byte[64 * 1024]);
            strings().name("foreign").open();
        }));
        rows.add(row("open: a zero-length file at the name", IncompatibleStoreException.class, "0 bytes", f -> {
            f.foreignFile("empty", new byte[0]);
            strings().name("empty").open();
        }));
        rows.add(row("open: another format version", IncompatibleStoreException.class, "version 7", f -> {
            try (SharedStore<String, String> other = strings().name("versioned").entries(16).lifetime(Lifetime.PERSISTENT).create()) {
                other.put("k", "v");
            }
            try (SharedMemory m = SharedMemory.open("versioned");
                 MemoryView v = m.map(0, StoreLayout.HEADER_LENGTH, Access.READ_WRITE)) {
                v.bytes().writeInt(StoreLayout.VERSION_OFFSET, 7);
            }
            strings().name("versioned").open();
        }));
        rows.add(row("createOrOpen: another key type", IncompatibleStoreException.class, "java.lang.Integer",
                f -> SharedStore.of(Integer.class, String.class).name("store").createOrOpen()));
    }

    private static void storeOperations(List<Arguments> rows) {
        rows.add(row("put: null key", NullPointerException.class, "key", f -> f.store.put(null, "v")));
        rows.add(row("put: null value", NullPointerException.class, "value", f -> f.store.put(KNOWN, null)));
        rows.add(row("get: null key", NullPointerException.class, "key", f -> f.store.get(null)));
        rows.add(row("remove: null key", NullPointerException.class, "key", f -> f.store.remove(null)));
        rows.add(row("putIfAbsent: null value", NullPointerException.class, "value", f -> f.store.putIfAbsent("k", null)));
        rows.add(row("replace: null new value", NullPointerException.class, "newValue",
                f -> f.store.replace(KNOWN, "value", null)));
        rows.add(row("merge: null function", NullPointerException.class, "remappingFunction",
                f -> f.store.merge(KNOWN, "x", null)));
        rows.add(row("computeIfAbsent: null key", NullPointerException.class, "key",
                f -> f.store.computeIfAbsent(null, k -> "v")));
        // An entry that could never fit a segment is refused as a bad argument, not StoreFullException
        // (which says the store is full now and names what to raise): the store is not full, the
        // entry is impossible for its sizing. The message names both sizes and what to raise.
        rows.add(row("put: a value larger than a whole segment", IllegalArgumentException.class, "4194308 value bytes",
                f -> f.store.put("big", "x".repeat(4 << 20))));
        rows.add(row("put: a key larger than a whole segment", IllegalArgumentException.class, "key of 4194308 bytes",
                f -> f.store.put("k".repeat(4 << 20), "v")));
        rows.add(row("put: a value larger than the free space of a full store", StoreFullException.class, "segment", f -> {
            // fill it: the store was sized for 64 entries; REJECT is the default policy
            for (int i = 0; ; i++) {
                f.store.put("filler-" + i, "y".repeat(32));
                if (i > 10_000) {
                    throw new AssertionError("a store sized for 64 entries took 10,000");
                }
            }
        }));
        rows.add(row("put: through a read-only store", ReadOnlyStoreException.class, "store", f -> {
            try (SharedStore<String, String> ro = strings().name("store").openReadOnly()) {
                ro.put(KNOWN, "changed");
            }
        }));
        rows.add(row("get: after close", IllegalStateException.class, "closed", f -> {
            SharedStore<String, String> s = strings().name("store").open();
            s.close();
            s.get(KNOWN);
        }));
        rows.add(row("changes: a cursor from a negative sequence", IllegalArgumentException.class, "-5",
                f -> f.store.changes().cursorFrom(-5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void badInputIsRefusedWithATypedErrorNamingTheValueAndChangesNothing(String description,
            Class<? extends Throwable> expected, String named, Action action) throws Exception {
        try (Fixture f = new Fixture()) {
            assertThatThrownBy(() -> action.run(f)).as(description)
                    .isInstanceOf(expected)
                    .hasMessageContaining(named);
            assertThat(f.store.get(KNOWN)).as("the known entry after: " + description).isEqualTo("value");
            assertThat(f.store.keySet()).as("the store's keys after: " + description)
                    .allMatch(k -> k.equals(KNOWN) || k.startsWith("filler-"));
            assertThat(f.store.verify()).as("verify() after: " + description).isEmpty();
            try (MemoryView v = f.memory.map()) {
                assertThat(v.length()).isEqualTo(4096);
            }
        }
    }
}
