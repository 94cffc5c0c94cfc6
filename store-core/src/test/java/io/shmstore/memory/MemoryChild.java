package io.shmstore.memory;

import io.shmstore.ReadOnlyStoreException;
import net.openhft.chronicle.bytes.BytesStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The other process in cross-process tests. Each command prints result lines on stdout; commands that
 * hold something wait for "exit" on stdin (or are killed).
 */
public final class MemoryChild {
    private static final BufferedReader IN = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    /** What the "squat" command writes at offset 0 of its mappings. */
    static final long SQUATTER_MARK = 0x5155_4154_5445_52L;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "read": {
                try (SharedMemory mem = SharedMemory.open(args[1], Access.READ_ONLY);
                     MemoryView view = mem.map(0, mem.size(), Access.READ_ONLY)) {
                    say("VALUE " + view.bytes().readVolatileLong(Long.parseLong(args[2])));
                }
                break;
            }
            case "write": {
                try (SharedMemory mem = SharedMemory.open(args[1], Access.READ_WRITE);
                     MemoryView view = mem.map(0, mem.size(), Access.READ_WRITE)) {
                    view.bytes().writeVolatileLong(Long.parseLong(args[2]), Long.parseLong(args[3]));
                    say("DONE");
                }
                break;
            }
            case "create-or-open": {
                say("READY");
                waitFor("go");
                try (SharedMemory mem = SharedMemory.createOrOpen(args[1], Long.parseLong(args[2]))) {
                    say((mem.created() ? "CREATED " : "OPENED ") + mem.size());
                    waitFor("exit");
                }
                break;
            }
            case "attach": {
                SharedMemory mem = SharedMemory.open(args[1], Access.READ_WRITE);
                say("ATTACHED");
                waitFor("exit");
                mem.close();
                say("CLOSED");
                break;
            }
            case "hold-mutex": {
                NamedMutex m = NamedMutex.createOrOpen(args[1]);
                Ownership o = m.acquire(Duration.ofSeconds(30));
                say("HELD " + ProcessHandle.current().pid() + " " + o);
                waitFor("release");
                m.release();
                say("RELEASED");
                waitFor("exit");
                break;
            }
            case "hold-mutex-forever": {
                NamedMutex m = NamedMutex.createOrOpen(args[1]);
                Ownership o = m.acquire(Duration.ofSeconds(30));
                say("HELD " + ProcessHandle.current().pid() + " " + o);
                Thread.sleep(Long.MAX_VALUE);
                break;
            }
            case "await-event": {
                try (NamedEvent e = NamedEvent.createOrOpen(args[1], EventMode.valueOf(args[2]))) {
                    say("WAITING");
                    boolean woke = e.await(Duration.ofMillis(Long.parseLong(args[3])));
                    long at = System.nanoTime();
                    say(woke ? "WOKE " + at : "TIMEOUT");
                }
                break;
            }
            case "hold-permits": {
                NamedSemaphore s = NamedSemaphore.createOrOpen(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                Permits p = s.acquire(Integer.parseInt(args[4]), Duration.ofSeconds(30));
                say("HELD " + ProcessHandle.current().pid() + " " + p.recovered());
                waitFor("release");
                s.release(Integer.parseInt(args[4]));
                say("RELEASED");
                waitFor("exit");
                s.close();
                break;
            }
            case "await-permits": {
                try (NamedSemaphore s = NamedSemaphore.createOrOpen(args[1], Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]))) {
                    say("WAITING");
                    Permits p = s.acquire(Integer.parseInt(args[4]), Duration.ofSeconds(30));
                    say("ACQUIRED " + p.acquired() + " " + p.recovered());
                    waitFor("exit");
                }
                break;
            }
            case "share-permits": {
                sharePermits(args[1], Integer.parseInt(args[2]), args[3], Integer.parseInt(args[4]));
                break;
            }
            case "inherited": {
                useUnnamed(SharedMemory.inherited(args[1]), System.getenv(args[1]), Long.parseLong(args[2]),
                        Long.parseLong(args[3]));
                break;
            }
            case "receive": {
                say("PID " + ProcessHandle.current().pid());
                String token = IN.readLine();
                useUnnamed(SharedMemory.receive(token), token, Long.parseLong(args[1]), Long.parseLong(args[2]));
                break;
            }
            case "create-unnamed": {
                try (SharedMemory mem = SharedMemory.createUnnamed(4096);
                     MemoryView view = mem.map()) {
                    view.bytes().writeVolatileLong(0, Long.parseLong(args[1]));
                    long parent = ProcessHandle.current().parent().orElseThrow().pid();
                    say("TOKEN " + mem.duplicateFor(parent, Access.READ_WRITE));
                    waitFor("exit");
                }
                break;
            }
            case "readonly-writes": {
                readOnlyWrites(args[1]);
                break;
            }
            case "squat": {
                squat(args[1], Path.of(args[2]));
                break;
            }
            default:
                throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /**
     * Calls every writing method of Chronicle's BytesStore on a read-only view. Each must throw
     * ReadOnlyStoreException; a method that slipped through would crash this JVM with SIGSEGV, which
     * the parent sees as a non-zero exit.
     */
    private static void readOnlyWrites(String name) throws Exception {
        List<String> refused = new ArrayList<>();
        List<String> other = new ArrayList<>();
        try (SharedMemory mem = SharedMemory.open(name, Access.READ_ONLY);
             MemoryView view = mem.map(0, mem.size(), Access.READ_ONLY)) {
            BytesStore<?, Void> bs = view.bytes();
            for (Method m : BytesStore.class.getMethods()) {
                if (Modifier.isStatic(m.getModifiers()) || !isWriting(m.getName())) {
                    continue;
                }
                Object[] argv = new Object[m.getParameterCount()];
                Class<?>[] types = m.getParameterTypes();
                boolean supported = true;
                for (int i = 0; i < types.length; i++) {
                    argv[i] = sample(types[i]);
                    supported &= argv[i] != null || !types[i].isPrimitive();
                }
                if (!supported) {
                    continue;
                }
                if (m.getName().equals("append") && types.length == 4) {
                    argv = new Object[]{8L, 2.5d, 1, 8};
                }
                try {
                    m.invoke(bs, argv);
                    other.add(m.getName() + " returned normally");
                } catch (java.lang.reflect.InvocationTargetException e) {
                    if (e.getCause() instanceof ReadOnlyStoreException) {
                        refused.add(m.getName());
                    } else {
                        other.add(m.getName() + " threw " + e.getCause());
                    }
                }
            }
            say("REFUSED " + refused.size());
            for (String o : other) {
                say("OTHER " + o);
            }
            say("FIRST " + bs.readLong(0));
        }
    }

    /**
     * As a user who takes names before their rightful creator: a mapping {@code name}, a mapping in
     * {@code file}, a mutex {@code name.lock}, an event {@code name.ready} and a semaphore of one permit
     * {@code name.slots}, all open to everyone,
     * each mapping holding {@link #SQUATTER_MARK} at offset 0. Holds them until "exit".
     */
    @SuppressWarnings("try") // the mutex, the event and the semaphore are only held open
    private static void squat(String name, Path file) throws Exception {
        Set<PosixFilePermission> everyone = PosixFilePermissions.fromString("rw-rw-rw-");
        try (SharedMemory mem = SharedMemory.named(name).size(4096).permissions(everyone).create();
             SharedMemory backed = SharedMemory.backedBy(file).size(4096).permissions(everyone).create();
             NamedMutex mutex = NamedMutex.createOrOpen(name + ".lock", everyone);
             NamedEvent event = NamedEvent.createOrOpen(name + ".ready", EventMode.AUTO_RESET, everyone);
             NamedSemaphore semaphore = NamedSemaphore.createOrOpen(name + ".slots", 1, 1, everyone)) {
            for (SharedMemory m : List.of(mem, backed)) {
                try (MemoryView view = m.map()) {
                    view.bytes().writeVolatileLong(0, SQUATTER_MARK);
                }
            }
            say("SQUATTING");
            waitFor("exit");
        }
    }

    /**
     * One of several processes sharing the {@code permits} permits of semaphore {@code name}: each round
     * it takes a permit, counts itself in at offset 0 of mapping {@code slots}, writes its pid into a free
     * one of the {@code permits} slots after it (8 bytes each, from offset 8), checks that no more than
     * {@code permits} slots are taken, and undoes all of it. Prints {@code VIOLATION ...} for any excess
     * and {@code DONE <rounds> <most holders seen>} at the end.
     */
    private static void sharePermits(String name, int permits, String slots, int rounds) throws Exception {
        long pid = ProcessHandle.current().pid();
        int most = 0;
        try (NamedSemaphore s = NamedSemaphore.createOrOpen(name, permits, permits);
             SharedMemory mem = SharedMemory.open(slots);
             MemoryView view = mem.map()) {
            BytesStore<?, Void> b = view.bytes();
            say("READY");
            waitFor("go");
            for (int r = 0; r < rounds; r++) {
                if (!s.tryAcquire(Duration.ofSeconds(60))) {
                    say("VIOLATION no permit within 60 s");
                    continue;
                }
                try {
                    int holders = b.addAndGetInt(0, 1);
                    most = Math.max(most, holders);
                    if (holders > permits) {
                        say("VIOLATION " + holders + " holders of " + permits + " permits");
                    }
                    int mine = -1;
                    for (int i = 0; i < permits && mine < 0; i++) {
                        if (b.compareAndSwapLong(8 + 8L * i, 0, pid)) {
                            mine = i;
                        }
                    }
                    if (mine < 0) {
                        say("VIOLATION every slot was taken");
                    }
                    int taken = 0;
                    for (int i = 0; i < permits; i++) {
                        taken += b.readVolatileLong(8 + 8L * i) != 0 ? 1 : 0;
                    }
                    if (taken > permits) {
                        say("VIOLATION " + taken + " slots taken");
                    }
                    Thread.onSpinWait();
                    if (r % 8 == 0) {
                        Thread.sleep(1);
                    }
                    if (mine >= 0 && !b.compareAndSwapLong(8 + 8L * mine, pid, 0)) {
                        say("VIOLATION slot " + mine + " was overwritten while held");
                    }
                    b.addAndGetInt(0, -1);
                } finally {
                    s.release();
                }
            }
        }
        say("DONE " + rounds + " " + most);
    }

    /**
     * A receiver of an unnamed mapping: prints its access and the long at {@code offset}; writes
     * {@code value} at {@code offset + 8} if it may (WROTE), or else tries every way to write and prints
     * REFUSED for each that is refused. Then, until "exit": "read" prints the long again, "hand-back" prints
     * a token for the parent. Prints CLOSED once its handle is closed.
     */
    private static void useUnnamed(SharedMemory mem, String token, long offset, long value) throws Exception {
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        try (mem; MemoryView view = mem.map(0, mem.size(), mem.access())) {
            say("ACCESS " + mem.access() + " " + mem.name());
            say("VALUE " + view.bytes().readVolatileLong(offset));
            if (mem.access() == Access.READ_WRITE) {
                view.bytes().writeVolatileLong(offset + 8, value);
                say("WROTE");
            } else {
                refused("map", () -> mem.map(0, mem.size(), Access.READ_WRITE));
                refused("write", () -> view.bytes().writeVolatileLong(offset + 8, value));
                refused("receive", () -> SharedMemory.receive(token, Access.READ_WRITE));
                refused("handover", () -> mem.duplicateFor(parent, Access.READ_WRITE));
                say("READ-ONLY CHECKED");
            }
            String line;
            while ((line = IN.readLine()) != null && !line.trim().equals("exit")) {
                if (line.trim().equals("read")) {
                    say("VALUE " + view.bytes().readVolatileLong(offset));
                } else if (line.trim().equals("hand-back")) {
                    say("TOKEN " + mem.duplicateFor(parent, mem.access()));
                }
            }
        }
        say("CLOSED");
    }

    /** Prints "REFUSED what" when {@code write} throws ReadOnlyStoreException, "ALLOWED what ..." otherwise. */
    private static void refused(String what, Callable<?> write) {
        try {
            write.call();
            say("ALLOWED " + what);
        } catch (ReadOnlyStoreException expected) {
            say("REFUSED " + what);
        } catch (Exception other) {
            say("ALLOWED " + what + " threw " + other);
        }
    }

    private static boolean isWriting(String n) {
        if (n.equals("writePosition") || n.equals("writeLimit") || n.equals("writeRemaining")) {
            return false;
        }
        return n.startsWith("write") || n.startsWith("append") || n.startsWith("compareAndSwap")
                || n.startsWith("testAndSet") || n.startsWith("addAndGet") || n.equals("zeroOut")
                || n.equals("move") || n.equals("nativeWrite") || n.equals("bytesForWrite")
                || n.equals("addressForWrite") || n.equals("addressForWritePosition") || n.startsWith("writeMax");
    }

    private static Object sample(Class<?> t) {
        if (t == long.class) return 8L;
        if (t == int.class) return 4;
        if (t == short.class) return (short) 1;
        if (t == byte.class) return (byte) 1;
        if (t == char.class) return 'x';
        if (t == boolean.class) return true;
        if (t == float.class) return 1.5f;
        if (t == double.class) return 2.5d;
        if (t == byte[].class) return new byte[16];
        if (t == char[].class) return new char[]{'a', 'b'};
        if (t == String.class || t == CharSequence.class) return "abc";
        if (t == ByteBuffer.class) return ByteBuffer.allocate(16);
        if (BytesStore.class.isAssignableFrom(t) || t.getName().endsWith("RandomDataInput")) {
            return BytesStore.from("abcdefgh");
        }
        return null;
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void waitFor(String word) throws Exception {
        String line;
        while ((line = IN.readLine()) != null) {
            if (line.trim().equals(word)) {
                return;
            }
        }
    }
}
