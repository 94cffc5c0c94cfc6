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
     * {@code file}, a mutex {@code name.lock} and an event {@code name.ready}, all open to everyone,
     * each mapping holding {@link #SQUATTER_MARK} at offset 0. Holds them until "exit".
     */
    @SuppressWarnings("try") // the mutex and the event are only held open
    private static void squat(String name, Path file) throws Exception {
        Set<PosixFilePermission> everyone = PosixFilePermissions.fromString("rw-rw-rw-");
        try (SharedMemory mem = SharedMemory.named(name).size(4096).permissions(everyone).create();
             SharedMemory backed = SharedMemory.backedBy(file).size(4096).permissions(everyone).create();
             NamedMutex mutex = NamedMutex.createOrOpen(name + ".lock", everyone);
             NamedEvent event = NamedEvent.createOrOpen(name + ".ready", EventMode.AUTO_RESET, everyone)) {
            for (SharedMemory m : List.of(mem, backed)) {
                try (MemoryView view = m.map()) {
                    view.bytes().writeVolatileLong(0, SQUATTER_MARK);
                }
            }
            say("SQUATTING");
            waitFor("exit");
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
