package io.shmstore.jmh.peers;

/**
 * Not a map: the benchmark's own share of every operation. It reads the key's last character (the
 * String and its byte array) and answers with one preallocated value, so its time is what choosing a
 * random key out of the data's key array and the call cost; a peer's time minus this one is the
 * peer's own.
 */
final class KeyOnlyKeyValue implements KeyValue {
    private final byte[] value;

    KeyOnlyKeyValue(int valueSize) {
        this.value = new byte[valueSize];
    }

    /** Reads the key's last character; true for the data's keys, which end in a digit. */
    private static boolean touch(String key) {
        return key.charAt(key.length() - 1) != 0;
    }

    @Override
    public byte[] get(String key) {
        return touch(key) ? value : null;
    }

    @Override
    public void put(String key, byte[] v) {
        if (!touch(key)) {
            throw new IllegalArgumentException("empty key");
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] v) {
        return touch(key);
    }

    @Override
    public void remove(String key) {
        put(key, value);
    }

    @Override
    public long increment(String key) {
        return key.charAt(key.length() - 1);
    }

    @Override
    public void close() {
        // nothing held
    }
}
