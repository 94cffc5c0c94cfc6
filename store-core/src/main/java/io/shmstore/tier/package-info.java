/**
 * A host-wide near cache of Redis: {@link io.shmstore.tier.RedisTier} keeps one copy of the hot keys per
 * host in a {@link io.shmstore.SharedStore}, shared by every process of the host, read through and
 * written through to Redis, and invalidated by Redis (server-assisted client-side caching, RESP3
 * pushes) through one elected listener per host; {@link io.shmstore.tier.TierCacheLoader} and
 * {@link io.shmstore.tier.TierCacheWriter} put it behind any JCache provider.
 *
 * <p>This package sits on the public API only ({@code io.shmstore}, {@code io.shmstore.memory}); it needs
 * {@code io.lettuce:lettuce-core} (and {@code javax.cache:cache-api} for the JCache classes) on the
 * class path, optional dependencies of {@code store-core}.
 */
package io.shmstore.tier;
