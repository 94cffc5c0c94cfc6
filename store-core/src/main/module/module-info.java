/**
 * ShmStore's core: named shared memory, mutexes and events ({@code io.shmstore.memory}), the shared
 * store ({@code io.shmstore}) and its metrics ({@code io.shmstore.metrics}). The {@code internal}
 * packages are not exported.
 */
module io.shmstore.core {
    requires transitive chronicle.bytes;
    requires transitive chronicle.core;
    requires com.sun.jna;
    requires com.sun.jna.platform;
    requires java.logging;
    requires jdk.unsupported;
    requires transitive java.management;
    requires static micrometer.core;

    exports io.shmstore;
    exports io.shmstore.memory;
    exports io.shmstore.metrics;
}
