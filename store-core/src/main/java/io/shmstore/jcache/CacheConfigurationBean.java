package io.shmstore.jcache;

import javax.cache.configuration.CompleteConfiguration;
import javax.cache.management.CacheMXBean;

/** A cache's configuration as its {@code javax.cache:type=CacheConfiguration} MXBean shows it. */
final class CacheConfigurationBean implements CacheMXBean {
    private final ShmCache<?, ?> cache;

    CacheConfigurationBean(ShmCache<?, ?> cache) {
        this.cache = cache;
    }

    private CompleteConfiguration<?, ?> configuration() {
        return cache.configuration();
    }

    @Override
    public String getKeyType() {
        return configuration().getKeyType().getName();
    }

    @Override
    public String getValueType() {
        return configuration().getValueType().getName();
    }

    @Override
    public boolean isReadThrough() {
        return configuration().isReadThrough();
    }

    @Override
    public boolean isWriteThrough() {
        return configuration().isWriteThrough();
    }

    @Override
    public boolean isStoreByValue() {
        return configuration().isStoreByValue();
    }

    @Override
    public boolean isStatisticsEnabled() {
        return configuration().isStatisticsEnabled();
    }

    @Override
    public boolean isManagementEnabled() {
        return configuration().isManagementEnabled();
    }
}
