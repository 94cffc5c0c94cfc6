package io.shmstore.tier;

import io.lettuce.core.RedisURI;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where Redis is: one node, or the seed nodes of a cluster.
 *
 * @param uris    one URI for a single node; one or more seeds for a cluster
 * @param cluster whether it is a Redis Cluster
 */
record RedisTarget(List<RedisURI> uris, boolean cluster) {
    RedisTarget {
        uris = List.copyOf(uris);
    }

    /** Parses {@code uris}, naming the one that is not a Redis URI. */
    static RedisTarget parse(boolean cluster, String... uris) {
        Objects.requireNonNull(uris, "uris");
        if (uris.length == 0) {
            throw new IllegalArgumentException("no Redis URI given: use for example redis://127.0.0.1:6379");
        }
        if (!cluster && uris.length > 1) {
            throw new IllegalArgumentException("a single Redis node takes one URI, not " + uris.length
                    + ": for a cluster use redisCluster(...)");
        }
        List<RedisURI> out = new ArrayList<>();
        for (String u : uris) {
            Objects.requireNonNull(u, "uri");
            RedisURI parsed;
            try {
                parsed = RedisURI.create(u);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("\"" + u + "\" is not a Redis URI (" + e.getMessage()
                        + "): use for example redis://127.0.0.1:6379", e);
            }
            if (parsed.getSentinels() != null && !parsed.getSentinels().isEmpty()) {
                throw new IllegalArgumentException("\"" + u + "\" names Sentinels, which the tier does not support:"
                        + " give the node, or the cluster's nodes");
            }
            if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
                throw new IllegalArgumentException("\"" + u + "\" names no host: use for example redis://127.0.0.1:6379");
            }
            out.add(parsed);
        }
        return new RedisTarget(out, cluster);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(cluster ? "cluster " : "");
        for (int i = 0; i < uris.size(); i++) {
            RedisURI u = uris.get(i);
            sb.append(i == 0 ? "" : ",").append(u.getHost()).append(':').append(u.getPort());
        }
        return sb.toString();
    }
}
