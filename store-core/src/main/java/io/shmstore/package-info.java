/**
 * ShmStore's public API: the exceptions shared by every layer.
 *
 * <p>Layers, from the top: {@code io.shmstore} (API), {@code io.shmstore.memory} (named memory,
 * mutexes and events), {@code io.shmstore.internal.*} (layouts, synchronisation protocols, platform
 * backends). Data flows one way, downwards; nothing below knows what is above it. The exception types
 * live here so that every layer speaks the same vocabulary; they depend on nothing.
 */
package io.shmstore;
