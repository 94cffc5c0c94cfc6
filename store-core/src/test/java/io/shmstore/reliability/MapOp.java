package io.shmstore.reliability;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One operation of the model test on a {@code ConcurrentMap<Integer, String>}, applied the same way to
 * the store (in this process or in the child) and to the model. Its {@link #toString()} is how a shrunk
 * failing sequence reads; {@link #encode()} / {@link #decode(String)} carry it to the child.
 */
record MapOp(Kind kind, int key, String a, String b, boolean remote) {

    enum Kind {
        PUT, GET, REMOVE, PUT_IF_ABSENT, REPLACE, REPLACE_IF, REMOVE_IF, COMPUTE, COMPUTE_IF_ABSENT,
        COMPUTE_IF_PRESENT, MERGE, CLEAR, SIZE, CONTAINS_KEY, ITERATE, REOPEN
    }

    /**
     * The result as a string, the same for the store and the model when they agree. Functions are
     * deterministic and include a branch that returns null (a removal), which is where a store is most
     * likely to differ from {@code ConcurrentHashMap}.
     */
    String apply(ConcurrentMap<Integer, String> map) {
        switch (kind) {
            case PUT: return String.valueOf(map.put(key, a));
            case GET: return String.valueOf(map.get(key));
            case REMOVE: return String.valueOf(map.remove(key));
            case PUT_IF_ABSENT: return String.valueOf(map.putIfAbsent(key, a));
            case REPLACE: return String.valueOf(map.replace(key, a));
            case REPLACE_IF: return String.valueOf(map.replace(key, a, b));
            case REMOVE_IF: return String.valueOf(map.remove(key, a));
            case COMPUTE: return String.valueOf(map.compute(key, (k, v) -> v == null ? a : v.length() >= 6 ? null : v + a));
            case COMPUTE_IF_ABSENT: return String.valueOf(map.computeIfAbsent(key, k -> a.equals("v0") ? null : a + k));
            case COMPUTE_IF_PRESENT: return String.valueOf(map.computeIfPresent(key, (k, v) -> v.startsWith(a) ? null : a + v.length()));
            case MERGE: return String.valueOf(map.merge(key, a, (old, v) -> old.length() >= 6 ? null : old + v));
            case CLEAR: map.clear(); return "cleared";
            case SIZE: return Integer.toString(map.size());
            case CONTAINS_KEY: return Boolean.toString(map.containsKey(key));
            case ITERATE: return contents(map);
            default: throw new IllegalStateException(kind + " is not a map operation");
        }
    }

    /** The map's entries, in key order, read through its entry-set iterator. */
    static String contents(Map<Integer, String> map) {
        TreeMap<Integer, String> sorted = new TreeMap<>();
        for (Map.Entry<Integer, String> e : map.entrySet()) {
            if (sorted.put(e.getKey(), e.getValue()) != null) {
                return "iteration returned key " + e.getKey() + " twice: " + sorted;
            }
        }
        return sorted.toString();
    }

    String encode() {
        return kind + " " + key + " " + a + " " + b;
    }

    static MapOp decode(String line) {
        String[] f = line.trim().split(" ");
        return new MapOp(Kind.valueOf(f[0]), Integer.parseInt(f[1]), f[2], f[3], true);
    }

    @Override
    public String toString() {
        String where = remote ? "child." : "";
        switch (kind) {
            case PUT: case PUT_IF_ABSENT: case REPLACE: case REMOVE_IF:
                return where + method() + "(" + key + ", " + a + ")";
            case REPLACE_IF: return where + "replace(" + key + ", " + a + ", " + b + ")";
            case COMPUTE: case COMPUTE_IF_ABSENT: case COMPUTE_IF_PRESENT: case MERGE:
                return where + method() + "(" + key + ", " + a + ")";
            case GET: case REMOVE: case CONTAINS_KEY:
                return where + method() + "(" + key + ")";
            case REOPEN: return "closeAndReopen()";
            default: return where + method() + "()";
        }
    }

    private String method() {
        String[] parts = kind.name().toLowerCase().split("_");
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            sb.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        String m = sb.toString();
        return m.equals("replaceIf") ? "replace" : m.equals("removeIf") ? "remove" : m.equals("iterate") ? "entrySet" : m;
    }
}
