/**
 * A store's statistics for monitoring: a JMX MXBean ({@link io.shmstore.metrics.StoreMetrics}) and a
 * Micrometer binder ({@link io.shmstore.metrics.StoreMeterBinder}, with Micrometer on the class path).
 * Both say which counts are this process's and which the store's, shared by every process.
 */
package io.shmstore.metrics;
