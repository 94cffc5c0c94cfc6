/**
 * The memory layer's own machinery (layer 3 of DESIGN.md), under the public {@code io.shmstore.memory}:
 * the bytes of a view ({@code ViewBytesStore}), which check every range and survive being closed under
 * a user, and the choice of the platform backend for this process ({@code Backends}), the only place
 * that names a backend.
 */
package io.shmstore.internal.memory;
