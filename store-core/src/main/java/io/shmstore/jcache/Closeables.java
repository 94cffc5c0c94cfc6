package io.shmstore.jcache;

/**
 * Closes what a cache's factories made (listeners, filters, loader, writer, expiry policy) when the
 * cache closes, as JCache asks of those that are {@link AutoCloseable}. A failure is logged and does not
 * stop the rest.
 */
final class Closeables {
    private static final System.Logger LOG = System.getLogger(Closeables.class.getName());

    private Closeables() {
    }

    static void close(Object o) {
        if (o instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + o + " failed", e);
            }
        }
    }
}
