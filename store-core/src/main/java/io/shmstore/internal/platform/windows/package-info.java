/**
 * The Windows backend (layer 4 of DESIGN.md), through jna-platform's Kernel32: file mappings
 * ({@code CreateFileMapping}, {@code MapViewOfFile}), kernel mutexes ({@code WAIT_ABANDONED}) and
 * events, security descriptors. Compiled in every build and loaded by name only on Windows.
 */
package io.shmstore.internal.platform.windows;
