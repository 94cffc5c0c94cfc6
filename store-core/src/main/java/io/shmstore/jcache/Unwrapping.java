package io.shmstore.jcache;

/** The {@code unwrap(Class)} of the provider's objects: to their own class (or a supertype), else refused. */
final class Unwrapping {
    private Unwrapping() {
    }

    static <T> T unwrap(Object self, Class<T> clazz) {
        if (clazz.isInstance(self)) {
            return clazz.cast(self);
        }
        throw new IllegalArgumentException("a " + self.getClass().getName() + " does not unwrap to " + clazz.getName());
    }
}
