package io.shmstore.reliability;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Whether this is a soak run ({@code -Dshmstore.soak=true}, set by the {@code soak} profile): the
 * reliability tests then run many more tries and rounds than in the normal build. The one reader of
 * that property, so that every suite agrees on what a soak run is.
 */
public final class Soak {
    public static final boolean ON = Boolean.getBoolean("shmstore.soak");

    private Soak() {
    }

    /** {@code normal} in the normal build, {@code soak} in a soak run. */
    public static int pick(int normal, int soak) {
        return ON ? soak : normal;
    }

    /**
     * jqwik fixes a property's tries in its annotation, so a soak property is a second property that
     * this hook skips outside soak runs.
     */
    static final class OnlyInSoak implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return ON ? SkipResult.doNotSkip() : SkipResult.skip("a soak property: runs with -Dshmstore.soak=true");
        }
    }

    /** The converse of {@link OnlyInSoak}: the normal-sized property is not run again in a soak run. */
    static final class NotInSoak implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return ON ? SkipResult.skip("the soak run runs the larger property instead") : SkipResult.doNotSkip();
        }
    }
}
