/**
 * Named memory, the Windows "Sharing Files and Memory" model made portable: {@link
 * io.shmstore.memory.SharedMemory} (named mappings, memory-only or file-backed), {@link
 * io.shmstore.memory.MemoryView} (mapped ranges as Chronicle {@code BytesStore}s), {@link
 * io.shmstore.memory.NamedMutex} (a cross-process mutex that reports abandonment) and {@link
 * io.shmstore.memory.NamedEvent}. All names share one namespace.
 */
package io.shmstore.memory;
