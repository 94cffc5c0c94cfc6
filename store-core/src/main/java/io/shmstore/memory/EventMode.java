package io.shmstore.memory;

/** Reset behaviour of a {@link NamedEvent}, as with Windows events. */
public enum EventMode {
    /** A signal releases one waiter, then the event resets itself; unconsumed, it stays signalled. */
    AUTO_RESET,
    /** A signal releases every waiter and stays signalled until {@link NamedEvent#reset()}. */
    MANUAL_RESET
}
