package io.shmstore.jcache;

import io.shmstore.SharedStoreBuilder;
import io.shmstore.memory.Lifetime;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a cache manager's caches live, from its URI; every process that opens the same URI shares them.
 * <ul>
 *   <li>{@code shmstore:<namespace>}: memory-only stores in the shm directory ({@code -Dshmstore.dir},
 *       else {@code $SHMSTORE_DIR}, else {@code /dev/shm}), named {@code <namespace>.<cache>}; they go
 *       when the last process closes them. The default URI is {@code shmstore:jcache}.</li>
 *   <li>{@code file:<directory>}: file-backed stores {@code <cache>.jcache} in that directory (put it
 *       on a tmpfs for memory speed); they stay until {@code destroyCache}.</li>
 * </ul>
 * A cache name becomes a store name by keeping letters, digits, {@code .} and {@code -}, and writing
 * any other character as {@code _} and four hex digits; a name whose store name would be longer than
 * {@value #MAX_ENCODED} characters keeps its start and ends with {@code _h} and a hash of the whole
 * name. The header's metadata holds the full name, so two names that meet there are told apart.
 */
final class CacheLocation {
    static final String SCHEME = "shmstore";
    static final URI DEFAULT_URI = URI.create(SCHEME + ":jcache");
    static final int MAX_ENCODED = 100;
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,23}");

    private final URI uri;
    /** The namespace of a shm-directory location, or null. */
    private final String namespace;
    /** The directory of a file location, or null. */
    private final Path directory;

    private CacheLocation(URI uri, String namespace, Path directory) {
        this.uri = uri;
        this.namespace = namespace;
        this.directory = directory;
    }

    /**
     * @throws IllegalArgumentException naming the URI when it is neither form
     */
    static CacheLocation of(URI uri) {
        if (SCHEME.equals(uri.getScheme()) && uri.isOpaque()) {
            String ns = uri.getSchemeSpecificPart();
            if (ns != null && NAMESPACE.matcher(ns).matches() && uri.getFragment() == null) {
                return new CacheLocation(uri, ns, null);
            }
        } else if ("file".equals(uri.getScheme()) && !uri.isOpaque() && uri.getPath() != null
                && uri.getQuery() == null && uri.getFragment() == null && uri.getAuthority() == null) {
            return new CacheLocation(uri, null, Path.of(uri));
        }
        throw new IllegalArgumentException("cache manager URI \"" + uri + "\" names no ShmStore location: use "
                + SCHEME + ":<namespace> (1 to 24 of A-Z a-z 0-9 . _ -, starting with a letter or digit) for caches"
                + " in the shm directory, or file:<absolute directory> for file-backed caches; the default is "
                + DEFAULT_URI);
    }

    URI uri() {
        return uri;
    }

    /** Places the store of cache {@code cacheName} on {@code builder}, with its lifetime. */
    <K, V> SharedStoreBuilder<K, V> place(SharedStoreBuilder<K, V> builder, String cacheName, Lifetime lifetime) {
        String encoded = encode(cacheName);
        if (namespace != null) {
            builder.name(namespace + "." + encoded);
        } else {
            builder.persistedTo(directory.resolve(encoded + ".jcache"));
        }
        builder.lifetime(lifetime != null ? lifetime : namespace != null ? Lifetime.UNTIL_LAST_CLOSE : Lifetime.PERSISTENT);
        return builder;
    }

    /** The directory of a file location; null for the shm directory. */
    Path directory() {
        return directory;
    }

    /** The store name's part for a cache name: see the class comment. */
    static String encode(String cacheName) {
        StringBuilder b = new StringBuilder(cacheName.length() + 8);
        for (int i = 0; i < cacheName.length(); i++) {
            char c = cacheName.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
                b.append(c);
            } else {
                b.append('_').append(String.format("%04x", (int) c));
            }
        }
        if (b.length() <= MAX_ENCODED) {
            return b.toString();
        }
        return b.substring(0, MAX_ENCODED - 18) + "_h" + String.format("%016x", fnv64(cacheName));
    }

    /** FNV-1a over the name's UTF-8 bytes: the same in every JVM, unlike {@code String.hashCode} in spirit. */
    private static long fnv64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= x & 0xFF;
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
