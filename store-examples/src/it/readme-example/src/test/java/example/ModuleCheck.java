package example;

import io.shmstore.SharedStore;

/** The application of {@link ModulePathTest}, on the class path, with store-core on the module path. */
public final class ModuleCheck {
    public static void main(String[] args) throws Exception {
        Module core = SharedStore.class.getModule();
        System.out.println(core.getName() + " exports io.shmstore " + core.isExported("io.shmstore")
                + ", io.shmstore.memory " + core.isExported("io.shmstore.memory")
                + ", io.shmstore.internal.store " + core.isExported("io.shmstore.internal.store"));
        try (SharedStore<String, Long> s = SharedStore.of(String.class, Long.class).name("modules").entries(10)
                .createOrOpen()) {
            s.put("answer", 42L);
            System.out.println("stored " + s.get("answer") + " through " + s.getClass().getModule());
        }
        try {
            Class.forName("io.shmstore.internal.store.StoreImpl").getMethod("inspect", String.class,
                    java.nio.file.Path.class, io.shmstore.memory.SharedMemory.class).invoke(null, "x", null, null);
            System.out.println("internals reachable");
        } catch (IllegalAccessException e) {
            System.out.println("internals refused: " + e.getClass().getSimpleName());
        }
    }
}
