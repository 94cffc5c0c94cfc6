/**
 * Named memory, the Windows "Sharing Files and Memory" model made portable: {@link
 * io.shmstore.memory.SharedMemory} (named mappings, memory-only or file-backed, and unnamed ones handed
 * to other processes by inheritance or duplication), {@link io.shmstore.memory.MemoryView} (mapped
 * ranges as Chronicle {@code BytesStore}s), {@link io.shmstore.memory.NamedMutex} (a cross-process mutex
 * that reports abandonment), {@link io.shmstore.memory.NamedEvent} and {@link
 * io.shmstore.memory.NamedSemaphore} (whose dead holders' permits come back). All names share one
 * namespace.
 */
package io.shmstore.memory;
