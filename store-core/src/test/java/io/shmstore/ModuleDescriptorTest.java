package io.shmstore;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module descriptor the jar carries (META-INF/versions/17 of the multi-release jar): module
 * {@code io.shmstore.core}, exporting the API packages and no {@code internal} one, opening none,
 * reading Micrometer, the JCache API and Lettuce only when they are there (so providing no service:
 * the JCache provider is registered for the class path only).
 */
class ModuleDescriptorTest {
    @Test
    void theModuleExportsTheApiOnly() throws IOException {
        ModuleDescriptor d;
        try (InputStream in = JvmFlags.class.getResourceAsStream("/META-INF/versions/17/module-info.class")) {
            assertThat(in).as("module-info.class in META-INF/versions/17").isNotNull();
            d = ModuleDescriptor.read(in);
        }
        assertThat(d.name()).isEqualTo("io.shmstore.core");
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .isEqualTo(Set.of("io.shmstore", "io.shmstore.memory", "io.shmstore.metrics", "io.shmstore.jcache",
                        "io.shmstore.tier"));
        assertThat(d.exports()).allMatch(e -> !e.isQualified());
        assertThat(d.opens()).isEmpty();
        for (String optional : List.of("micrometer.core", "cache.api", "lettuce.core")) {
            assertThat(d.requires()).as(optional).anyMatch(r -> r.name().equals(optional)
                    && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC));
        }
        // a provides clause for the optional JCache API would leave the module unresolvable without it
        assertThat(d.provides()).isEmpty();
        assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .contains("chronicle.bytes", "chronicle.core", "com.sun.jna", "com.sun.jna.platform", "java.logging");
    }
}
