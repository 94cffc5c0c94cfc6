package io.shmstore.jcache;

import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * Registers a cache's MXBeans with the platform MBean server under the names JCache prescribes:
 * {@code javax.cache:type=CacheStatistics|CacheConfiguration,CacheManager=<uri>,Cache=<name>}.
 */
final class MBeans {
    static final String STATISTICS = "CacheStatistics";
    static final String CONFIGURATION = "CacheConfiguration";

    private MBeans() {
    }

    static ObjectName name(String type, ShmCache<?, ?> cache) {
        String text = "javax.cache:type=" + type + ",CacheManager=" + safe(cache.getCacheManager().getURI().toString())
                + ",Cache=" + safe(cache.getName());
        try {
            return new ObjectName(text);
        } catch (MalformedObjectNameException e) {
            throw new CacheException("cannot name the MXBean of cache \"" + cache.getName() + "\": " + text, e);
        }
    }

    /** What an ObjectName value may hold: no {@code :}, {@code =}, {@code ,} or newline. */
    private static String safe(String s) {
        return s.replaceAll("[:=,\n]", ".");
    }

    /** Registers {@code bean}, replacing what another manager of the same URI in this JVM registered. */
    static void register(Object bean, ObjectName name) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            try {
                server.registerMBean(bean, name);
            } catch (InstanceAlreadyExistsException taken) {
                server.unregisterMBean(name);
                server.registerMBean(bean, name);
            }
        } catch (JMException e) {
            throw new CacheException("cannot register MXBean " + name + ": " + e, e);
        }
    }

    static void unregister(ObjectName name) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException gone) {
            // never registered, or already unregistered
        } catch (JMException e) {
            throw new CacheException("cannot unregister MXBean " + name + ": " + e, e);
        }
    }
}
