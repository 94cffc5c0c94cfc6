package io.shmstore.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tool's fat jar carries ShmStore's license and notice, every bundled artifact in its
 * THIRD-PARTY.txt, the license and notice files each dependency ships (one folder per artifact), and a
 * license text for every bundled artifact whose license is not Apache-2.0.
 */
class ShadedJarLicenseIT {
    private static final Path JAR = Path.of(System.getProperty("shmstore.jar", "target/shmstore.jar"));
    private static final Path LEGAL = Path.of(System.getProperty("shmstore.legal.dir", ".."));
    /** A line of THIRD-PARTY.txt: "(License) (Other license) Name (group:artifact:version - url)". */
    private static final Pattern LINE = Pattern.compile("^\\s+((?:\\([^)]*\\)\\s*)+)(.*) \\(([^:]+):([^:]+):([^ ]+) - .*\\)$");

    @Test
    void theJarCarriesShmStoresLicenseAndEveryBundledArtifactsNotices() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(read(jar, "META-INF/LICENSE")).isEqualTo(Files.readString(LEGAL.resolve("LICENSE")))
                    .contains("Apache License", "Version 2.0, January 2004");
            assertThat(read(jar, "META-INF/NOTICE")).isEqualTo(Files.readString(LEGAL.resolve("NOTICE")));
            String thirdParty = read(jar, "META-INF/THIRD-PARTY.txt");
            List<String> bundled = new ArrayList<>();
            jar.stream().map(ZipEntry::getName).filter(n -> n.matches("META-INF/maven/[^/]+/[^/]+/pom.properties"))
                    .forEach(n -> bundled.add(n.split("/")[2] + ":" + n.split("/")[3]));
            assertThat(bundled).as("artifacts bundled, those whose jar records its pom").contains(
                    "com.fasterxml.jackson.core:jackson-databind", "net.openhft:chronicle-bytes", "com.github.jnr:jffi");
            assertThat(thirdParty).as("and those whose jar does not").contains("(net.java.dev.jna:jna:",
                    "(info.picocli:picocli:", "(org.ow2.asm:asm:");
            bundled.remove("io.shmstore:store-examples");
            // shaded inside another bundled jar, which carries its pom and its notice: JCTools (Apache-2.0)
            // inside netty-common, as io.netty.util.internal.shaded.org.jctools
            assertThat(jar.getEntry("io/netty/util/internal/shaded/org/jctools/")).as("JCTools inside netty-common")
                    .isNotNull();
            assertThat(thirdParty).contains("(io.netty:netty-common:");
            bundled.remove("org.jctools:jctools-core");
            for (String artifact : bundled) {
                assertThat(thirdParty).as("THIRD-PARTY.txt lists " + artifact).contains("(" + artifact + ":");
            }
            for (String kept : List.of("jackson-databind/META-INF/NOTICE", "jackson-databind/META-INF/LICENSE",
                    "jackson-core/META-INF/NOTICE", "jna/META-INF/AL2.0", "jna/META-INF/LGPL2.1",
                    "slf4j-api/META-INF/LICENSE.txt")) {
                assertThat(jar.getEntry("META-INF/third-party/" + kept)).as(kept + ", as its jar ships it").isNotNull();
            }
            int checked = 0;
            for (String line : thirdParty.lines().toList()) {
                Matcher m = LINE.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                checked++;
                String licenses = m.group(1);
                if (!licenses.toLowerCase(java.util.Locale.ROOT).contains("apache")) {
                    String folder = "META-INF/third-party/" + m.group(4) + "/";
                    assertThat(jar.stream().map(ZipEntry::getName).filter(n -> n.startsWith(folder) && n.contains("LICENSE")))
                            .as(m.group(2) + ", under " + licenses + ", has its license text in " + folder).isNotEmpty();
                }
            }
            assertThat(checked).as("artifacts listed").isGreaterThanOrEqualTo(bundled.size());
        }
    }

    private static String read(JarFile jar, String name) throws IOException {
        ZipEntry e = jar.getEntry(name);
        assertThat(e).as(name).isNotNull();
        try (InputStream in = jar.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
