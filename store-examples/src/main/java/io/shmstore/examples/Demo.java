package io.shmstore.examples;

import io.shmstore.JvmFlags;
import io.shmstore.memory.Access;
import io.shmstore.memory.EventMode;
import io.shmstore.memory.MemoryView;
import io.shmstore.memory.NamedEvent;
import io.shmstore.memory.SharedMemory;
import net.openhft.chronicle.bytes.BytesStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The named-memory demo: this process creates a mapping and an event, a second JVM opens both by name,
 * and every update written here is signalled through the event and read there.
 *
 * <p>Mapping layout: {@code [0] long sequence, [8] long written-at nanoTime, [64..] greeting (8-bit
 * text, length-prefixed by a stop bit)}.
 */
final class Demo {
    private static final long SEQUENCE = 0;
    private static final long WRITTEN_AT = 8;
    private static final long GREETING = 64;
    private static final long SIZE = 1 << 20;

    private Demo() {
    }

    static int run(String[] args, PrintStream out) throws IOException {
        int updates = 10;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help")) {
                out.println("usage: shmstore demo [--updates N]   (N from 1 to 1000000, default 10)");
                return 0;
            } else if (args[i].equals("--updates") && i + 1 < args.length) {
                updates = parseUpdates(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option \"" + args[i] + "\"; try demo --help");
            }
        }
        String name = "demo-" + ProcessHandle.current().pid();
        out.println("backend " + SharedMemory.backendName() + "; creating \"" + name + "\" (" + SIZE + " bytes)");
        try (SharedMemory mem = SharedMemory.create(name, SIZE);
             MemoryView view = mem.map();
             NamedEvent event = NamedEvent.createOrOpen(name + ".changed", EventMode.AUTO_RESET)) {
            BytesStore<?, Void> bytes = view.bytes();
            String hello = "hello from process " + ProcessHandle.current().pid();
            bytes.write8bit(GREETING, hello, 0, hello.length());
            Process reader = startReader(name, updates);
            BufferedReader lines = new BufferedReader(new InputStreamReader(reader.getInputStream(), StandardCharsets.UTF_8));
            String line = lines.readLine();
            if (line == null || !line.startsWith("reader ready")) {
                throw new IllegalStateException("the reader JVM did not start: " + line);
            }
            out.println("  " + line);
            for (int seq = 1; seq <= updates; seq++) {
                bytes.writeLong(WRITTEN_AT, System.nanoTime());
                bytes.writeVolatileLong(SEQUENCE, seq);
                event.signal();
                String ack = lines.readLine();
                if (ack == null) {
                    break;
                }
                out.println("  " + ack);
            }
            String last;
            while ((last = lines.readLine()) != null) {
                out.println("  " + last);
            }
            int code = waitFor(reader);
            out.println("reader exited with " + code + "; closing \"" + name + "\"");
            if (code != 0) {
                return 1;
            }
        }
        try (SharedMemory gone = SharedMemory.open(name, Access.READ_ONLY)) {
            throw new IllegalStateException("\"" + gone.name() + "\" should have been removed");
        } catch (io.shmstore.StoreNotFoundException expected) {
            out.println("\"" + name + "\" is gone: the last process closed it");
        }
        return 0;
    }

    /** The second JVM: opens the mapping read-only and follows the event. */
    static int reader(String[] args, PrintStream out) {
        String name = args[0];
        int updates = parseUpdates(args[1]);
        try (SharedMemory mem = SharedMemory.open(name, Access.READ_ONLY);
             MemoryView view = mem.map();
             NamedEvent event = NamedEvent.createOrOpen(name + ".changed", EventMode.AUTO_RESET)) {
            BytesStore<?, Void> bytes = view.bytes();
            StringBuilder greeting = new StringBuilder();
            bytes.bytesForRead().readPosition(GREETING).read8bit(greeting);
            out.println("reader ready in process " + ProcessHandle.current().pid() + ": read \"" + greeting + "\"");
            out.flush();
            long seen = 0;
            List<Long> latencies = new ArrayList<>();
            while (seen < updates) {
                if (!event.await(Duration.ofSeconds(10))) {
                    out.println("no update for 10 s; giving up");
                    return 1;
                }
                long now = System.nanoTime();
                long seq = bytes.readVolatileLong(SEQUENCE);
                long micros = TimeUnit.NANOSECONDS.toMicros(now - bytes.readLong(WRITTEN_AT));
                latencies.add(micros);
                seen = seq;
                out.println("update " + seq + " seen " + micros + " us after it was written");
                out.flush();
            }
            latencies.sort(null);
            out.println("reader: " + updates + " updates, median wake-up " + latencies.get(latencies.size() / 2) + " us");
            return 0;
        }
    }

    private static Process startReader(String name, int updates) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JvmFlags.all());
        String dir = System.getProperty("shmstore.dir");
        if (dir != null) {
            cmd.add("-Dshmstore.dir=" + dir);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ShmStoreTool.class.getName());
        cmd.add("demo-reader");
        cmd.add(name);
        cmd.add(Integer.toString(updates));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static int waitFor(Process p) {
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int parseUpdates(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 1_000_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--updates must be a number from 1 to 1000000, got \"" + s + "\"");
    }
}
