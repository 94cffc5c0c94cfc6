package example;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * store-core on the module path, as the module io.shmstore.core with Chronicle and JNA as automatic
 * modules beside it: an application on the class path uses the API, and the internal packages are not
 * exported to it.
 */
class ModulePathTest {
    /** What io.shmstore.core requires by name; everything else stays on the class path. */
    private static final List<String> MODULES = List.of("store-core-", "chronicle-bytes-", "chronicle-core-", "jna-");

    @TempDir
    Path dir;

    @Test
    void theApiWorksFromTheModulePathAndTheInternalsAreNotExported() throws Exception {
        List<String> modulePath = new ArrayList<>();
        List<String> classPath = new ArrayList<>(List.of(System.getProperty("main.classes")));
        String runtime = Files.readString(Path.of(System.getProperty("runtime.classpath.file"))).strip();
        for (String jar : runtime.split(File.pathSeparator)) {
            String file = Path.of(jar).getFileName().toString();
            (MODULES.stream().anyMatch(file::startsWith) ? modulePath : classPath).add(jar);
        }
        assertEquals(5, modulePath.size(), "store-core, chronicle-bytes, chronicle-core, jna, jna-platform: " + modulePath);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", String.join(File.pathSeparator, modulePath), "--add-modules", "io.shmstore.core",
                // JvmFlags.required()'s first flag, for Chronicle as the named module it is here
                "--add-opens=java.base/java.lang.reflect=chronicle.core", "-Dchronicle.analytics.disable=true",
                "-Dshmstore.dir=" + dir, "-cp", String.join(File.pathSeparator, classPath), ModuleCheck.class.getName()));
        if (Runtime.version().feature() >= 24) {
            cmd.addAll(1, List.of("--enable-native-access=ALL-UNNAMED,com.sun.jna,io.shmstore.core",
                    "--sun-misc-unsafe-memory-access=allow"));
        }
        cmd.set(cmd.indexOf("-cp") + 1, cmd.get(cmd.indexOf("-cp") + 1) + File.pathSeparator
                + Path.of(ModuleCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals("", Files.readString(err), "stderr");
        assertEquals("io.shmstore.core exports io.shmstore true, io.shmstore.memory true, io.shmstore.internal.store false\n"
                + "stored 42 through module io.shmstore.core\n"
                + "internals refused: IllegalAccessException\n", Files.readString(out));
        assertEquals(0, p.exitValue());
    }
}
