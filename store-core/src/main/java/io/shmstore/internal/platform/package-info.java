/**
 * What a platform backend implements (layer 5 of DESIGN.md): regions of named objects and their
 * mappings, the object header every named object starts with, object names and types, and where
 * memory-only objects live. The backends themselves are the sub-packages {@code posix} and
 * {@code windows} (layer 4), which only the memory layer chooses between.
 */
package io.shmstore.internal.platform;
