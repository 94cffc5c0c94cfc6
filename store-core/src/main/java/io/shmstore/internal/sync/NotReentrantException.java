package io.shmstore.internal.sync;

/**
 * A thread asked for a lock word it already holds: it would wait for itself. Typed so that the layer
 * that knows why the thread holds it (the store: a function passed to {@code compute} runs under its
 * key's segment lock) can say which rule was broken.
 */
public final class NotReentrantException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NotReentrantException(String message) {
        super(message);
    }
}
