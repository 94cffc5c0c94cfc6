/**
 * The POSIX backends (layer 4 of DESIGN.md): {@code linux}, libc through JNA (O_NOFOLLOW opens, fstat,
 * posix_fallocate, mmap, futex, liveness from /proc), and {@code posix-nio}, plain NIO with polling
 * waits, for any POSIX system. Named objects are files in the shm directory with an attach table for
 * their lifetime; named mutexes and events are the lock and event words of {@code internal.sync}.
 */
package io.shmstore.internal.platform.posix;
