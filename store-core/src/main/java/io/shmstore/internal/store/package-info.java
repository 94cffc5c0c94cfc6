/**
 * The store engine (layer 2 of DESIGN.md): the typed map ({@code StoreImpl}) over an untyped byte store
 * ({@code ByteStore}) of segments, each made of a slot table with its seqlock, a chunk allocator, the one
 * entry validator every path follows slots through, a lock-free reader and the online repair; the
 * change feed ring; and the layout descriptors, which FORMAT.md specifies byte for byte. It reaches
 * shared memory only through {@code io.shmstore.memory} (views and their lock words), never a platform
 * backend.
 */
package io.shmstore.internal.store;
