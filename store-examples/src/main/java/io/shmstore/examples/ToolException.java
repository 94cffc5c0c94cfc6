package io.shmstore.examples;

/**
 * A failure of this tool's own that the user should read as one line, like a child JVM that exited
 * before it was ready or a demo whose check did not hold; {@link ShmStoreTool} prints its message and
 * exits 1.
 */
final class ToolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ToolException(String message) {
        super(message);
    }
}
