package io.shmstore.jcache;

import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;

/**
 * What a cache records in its store's header and every process that creates it must agree on: its
 * name, key and value types, that it stores by value, its expiry policy (the class, and for JCache's
 * own policies their durations, which asking costs nothing), and its sizing. Listeners, the loader,
 * the writer and statistics are each process's own business and are not recorded.
 */
final class CacheDescription {
    private CacheDescription() {
    }

    static String of(String cacheName, ShmCacheConfiguration<?, ?> c, ExpiryPolicy expiry) {
        return "jcache 1; cache \"" + cacheName + "\"; keys " + c.getKeyType().getName() + "; values "
                + c.getValueType().getName() + "; by value; expiry " + expiry(expiry) + "; entries " + c.getEntries()
                + ", at most " + (c.getMaxEntries() > 0 ? Long.toString(c.getMaxEntries()) : "the default")
                + ", when full " + c.getFullPolicy() + "; average key " + c.getAverageKeySize() + " bytes, value "
                + c.getAverageValueSize() + " bytes";
    }

    private static String expiry(ExpiryPolicy p) {
        String name = p.getClass().getName();
        if (p instanceof EternalExpiryPolicy) {
            return name;
        }
        if (p instanceof CreatedExpiryPolicy) {
            return name + "(created " + duration(p.getExpiryForCreation()) + ")";
        }
        if (p instanceof AccessedExpiryPolicy || p instanceof ModifiedExpiryPolicy || p instanceof TouchedExpiryPolicy) {
            return name + "(created " + duration(p.getExpiryForCreation()) + ", accessed "
                    + duration(p.getExpiryForAccess()) + ", updated " + duration(p.getExpiryForUpdate()) + ")";
        }
        return name;
    }

    private static String duration(Duration d) {
        if (d == null) {
            return "unchanged";
        }
        return d.isEternal() ? "never" : d.getTimeUnit().toMillis(d.getDurationAmount()) + " ms";
    }
}
