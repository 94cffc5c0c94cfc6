package io.shmstore.metrics;

import io.shmstore.SharedStore;
import io.shmstore.StoreStats;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Publishes a store's statistics to JMX. For Micrometer, see {@link StoreMeterBinder}.
 *
 * <pre>{@code
 * try (SharedStore<String, Quote> quotes = ...createOrOpen();
 *      StoreMetrics.Registration jmx = StoreMetrics.registerMBean(quotes)) {
 *     ...
 * }
 * }</pre>
 */
public final class StoreMetrics {
    /** The JMX domain of ShmStore's beans. */
    public static final String DOMAIN = "io.shmstore";

    private StoreMetrics() {
    }

    /**
     * The name a store's bean is registered under: {@code io.shmstore:type=SharedStore,name="<store>"}.
     *
     * @param storeName the store's {@linkplain SharedStore#name() name}
     * @return the object name
     */
    public static ObjectName objectName(String storeName) {
        Objects.requireNonNull(storeName, "storeName");
        try {
            return new ObjectName(DOMAIN + ":type=SharedStore,name=" + ObjectName.quote(storeName));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("store name \"" + storeName + "\" gives no JMX object name: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Registers a {@link StoreMXBean} for {@code store} with the platform MBean server, until the returned
     * registration is closed. Close it before or with the store: once the store is closed, reading an
     * attribute fails with {@link IllegalStateException}.
     *
     * @param store the store
     * @return the registration, which unregisters the bean when closed
     * @throws IllegalStateException naming the object name when this process already registered a bean
     *                               for a store of that name
     */
    public static Registration registerMBean(SharedStore<?, ?> store) {
        Objects.requireNonNull(store, "store");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = objectName(store.name());
        try {
            server.registerMBean(new Bean(store.name(), store::stats), name);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException("a bean named " + name + " is already registered in this process:"
                    + " close its registration first, or register one handle per store", e);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + name + ": " + e.getMessage(), e);
        }
        return new Registration(server, name);
    }

    /** A registered bean; {@link #close()} unregisters it. */
    public static final class Registration implements AutoCloseable {
        private final MBeanServer server;
        private final ObjectName name;

        private Registration(MBeanServer server, ObjectName name) {
            this.server = server;
            this.name = name;
        }

        /** @return the name the bean is registered under */
        public ObjectName objectName() {
            return name;
        }

        /** Unregisters the bean; idempotent. */
        @Override
        public void close() {
            try {
                server.unregisterMBean(name);
            } catch (InstanceNotFoundException alreadyGone) {
                // closed before: nothing to do
            } catch (JMException e) {
                throw new IllegalStateException("cannot unregister " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /** The bean: every attribute reads the statistics now. */
    static final class Bean implements StoreMXBean {
        private final String name;
        private final Supplier<StoreStats> stats;

        Bean(String name, Supplier<StoreStats> stats) {
            this.name = Objects.requireNonNull(name, "name");
            this.stats = Objects.requireNonNull(stats, "stats");
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public long getEntries() {
            return stats.get().entries();
        }

        @Override
        public long getCapacity() {
            return stats.get().capacity();
        }

        @Override
        public long getMaxEntries() {
            return stats.get().maxEntries();
        }

        @Override
        public long getBytesUsed() {
            return stats.get().bytesUsed();
        }

        @Override
        public long getBytesCapacity() {
            return stats.get().bytesCapacity();
        }

        @Override
        public long getBytesReserved() {
            return stats.get().bytesReserved();
        }

        @Override
        public double getMaxSegmentLoad() {
            return stats.get().maxSegmentLoad();
        }

        @Override
        public long getHits() {
            return stats.get().hits();
        }

        @Override
        public long getMisses() {
            return stats.get().misses();
        }

        @Override
        public long getRecoveries() {
            return stats.get().recoveries();
        }

        @Override
        public long getEvictions() {
            return stats.get().evictions();
        }

        @Override
        public long getExpirations() {
            return stats.get().expirations();
        }

        @Override
        public long getDamaged() {
            return stats.get().damaged();
        }

        @Override
        public long getGrowths() {
            return stats.get().growths();
        }
    }
}
