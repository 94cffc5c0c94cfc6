package io.shmstore.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian's package) on a free port of 127.0.0.1, with its own working
 * directory and no persistence unless a snapshot is given; for tests, one per test class. It can be
 * SIGKILLed, SIGSTOPped and restarted on the same port. A missing {@code redis-server} fails the test
 * with the command that installs it: these tests never pretend to have run.
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(20);

    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private Process process;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    private RedisServer(int port, Path dir, List<String> extraArgs) {
        this.port = port;
        this.dir = dir;
        this.extraArgs = extraArgs;
    }

    /** Starts a server on a free loopback port. */
    public static RedisServer start() {
        return start(List.of());
    }

    /** Starts a server on a free loopback port with more {@code redis-server} arguments. */
    public static RedisServer start(List<String> extraArgs) {
        try {
            RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("shmstore-redis-"), extraArgs);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
    }

    /**
     * The {@code redis-server} executable. Without one the calling test class is skipped, saying how to
     * install it, unless the environment variable {@code SHMSTORE_REDIS=required} (CI sets it) makes that a
     * failure.
     */
    public static String executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        String why = "redis-server is not installed: `apt-get install redis-server` (.ci/run installs it)";
        if ("required".equals(System.getenv("SHMSTORE_REDIS"))) {
            throw new AssertionError(why + "; SHMSTORE_REDIS=required");
        }
        org.junit.jupiter.api.Assumptions.abort("Redis tier test skipped: " + why);
        throw new AssertionError(why);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(executable(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                "--logfile", dir.resolve("redis.log").toString()));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                s.getOutputStream().write("PING\r\n".getBytes());
                byte[] buf = new byte[64];
                int n = s.getInputStream().read(buf);
                if (n > 0 && new String(buf, 0, n).startsWith("+PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server on port " + port + " did not start: " + log());
            }
            sleep(20);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Synchronous commands on a connection of this test's own (another "host" writing, or counting). */
    public synchronized RedisCommands<String, String> commands() {
        if (connection == null || !connection.isOpen()) {
            if (client == null) {
                client = RedisClient.create();
            }
            connection = client.connect(RedisURI.create(uri()));
        }
        return connection.sync();
    }

    /** How many times Redis ran {@code command} since it started (or {@code CONFIG RESETSTAT}). */
    public long calls(String command) {
        String info = commands().info("commandstats");
        String tag = "cmdstat_" + command.toLowerCase() + ":calls=";
        int at = info.indexOf(tag);
        if (at < 0) {
            return 0;
        }
        int end = info.indexOf(',', at);
        return Long.parseLong(info.substring(at + tag.length(), end));
    }

    /** SIGKILL, and wait until it is gone. */
    public void kill() {
        closeConnection();
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts again on the same port, empty. */
    public void restart() {
        restart(null);
    }

    /**
     * Starts again on the same port, loading {@code snapshot} (an RDB file, see {@link #snapshotOf}) when
     * given: data that changed while no client listened, so no invalidation was ever sent for it.
     */
    public void restart(Path snapshot) {
        try {
            if (snapshot != null) {
                Files.copy(snapshot, dir.resolve("dump.rdb"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(dir.resolve("dump.rdb"));
            }
            launch();
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart redis-server on port " + port, e);
        }
    }

    /** An RDB file holding exactly {@code data}, made by a short-lived server of its own. */
    public static Path snapshotOf(Map<String, String> data) {
        try (RedisServer other = start(List.of())) {
            RedisCommands<String, String> c = other.commands();
            c.mset(data);
            c.save();
            Path out = Files.createTempFile("shmstore-redis-", ".rdb");
            Files.copy(other.dir.resolve("dump.rdb"), out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGSTOP: the server keeps its connections but answers nothing, as a hung host would. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String sig) {
        try {
            Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("kill -" + sig + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String log() {
        try {
            Path log = dir.resolve("redis.log");
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private synchronized void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    @Override
    public void close() {
        closeConnection();
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        if (process != null && process.isAlive()) {
            resume();
            kill();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            dir.toFile().deleteOnExit();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
