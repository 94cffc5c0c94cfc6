package io.shmstore.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Files that are not regular files, as any local user can put them at an object's name: FIFOs,
 * sockets, and (root only) device nodes, made with the system's own tools.
 */
public final class SpecialFiles {
    private SpecialFiles() {
    }

    /** A FIFO at {@code path} with mode {@code mode} (octal, as mkfifo takes it). */
    public static void fifo(Path path, String mode) throws IOException {
        String problem = run("mkfifo", "-m", mode, path.toString());
        if (problem != null) {
            throw new IOException("mkfifo " + path + ": " + problem);
        }
    }

    /** A UNIX-domain socket at {@code path}; the file stays after the socket is closed. */
    public static void socket(Path path) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
        }
    }

    /**
     * A character device node at {@code path} for the device of {@code /dev/null} (1, 3), which opening
     * leaves as it was.
     *
     * @return null when made, else why not (not root, a file system mounted nodev...)
     */
    public static String nullDevice(Path path) {
        return run("mknod", "-m", "0666", path.toString(), "c", "1", "3");
    }

    /** Runs a command; null when it exits 0, else its exit code and output. */
    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "did not finish in 30 s";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
