package io.shmstore.reliability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A concurrent history of single-key operations on a map of Longs, and a linearizability checker for
 * it (Wing and Gong's search with memoisation of (operations linearized, register value), as in
 * Lowe's and Knossos' checkers). A map's keys are independent registers, so a history is checked key by
 * key; each key's sub-history is kept small enough (under 64 operations) for the search to be quick.
 */
final class History {

    enum Kind { PUT, GET, REMOVE, PUT_IF_ABSENT, MERGE, COMPUTE }

    /**
     * One completed operation: invoked at {@code invoke} and returned {@code result} at
     * {@code response} (System.nanoTime, comparable across processes on Linux).
     */
    record Event(int worker, Kind kind, int key, long arg, Long result, long invoke, long response) {

        String encode() {
            return worker + " " + kind + " " + key + " " + arg + " " + result + " " + invoke + " " + response;
        }

        static Event decode(String s) {
            String[] f = s.trim().split(" ");
            return new Event(Integer.parseInt(f[0]), Kind.valueOf(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]),
                    f[4].equals("null") ? null : Long.valueOf(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]));
        }

        String describe(long origin) {
            String call = switch (kind) {
                case GET, REMOVE -> kind.name().toLowerCase() + "(" + key + ")";
                default -> kind.name().toLowerCase() + "(" + key + ", " + arg + ")";
            };
            return String.format("worker %d [%,9d .. %,9d ns] %s -> %s", worker, invoke - origin, response - origin,
                    call, result);
        }
    }

    /** The sequential specification: one register, empty ({@code null}) at the start. */
    static final class Step {
        final Long result;
        final Long next;

        private Step(Long result, Long next) {
            this.result = result;
            this.next = next;
        }

        static Step of(Kind kind, long arg, Long value) {
            switch (kind) {
                case PUT: return new Step(value, arg);
                case GET: return new Step(value, value);
                case REMOVE: return new Step(value, null);
                case PUT_IF_ABSENT: return new Step(value, value == null ? arg : value);
                case MERGE: {
                    long sum = value == null ? arg : value + arg;
                    return new Step(sum, sum);
                }
                case COMPUTE: {
                    Long next = computeFunction(value, arg);
                    return new Step(next, next);
                }
                default: throw new IllegalArgumentException(kind.name());
            }
        }
    }

    /** The remapping function of {@link Kind#COMPUTE}: it removes the entry now and then. */
    static Long computeFunction(Long value, long arg) {
        if (value == null) {
            return arg;
        }
        return value % 3 == 0 ? null : Long.valueOf(value + arg);
    }

    private History() {
    }

    /**
     * Whether some total order of {@code events} (all on one key) respects real time (an operation that
     * returned before another was invoked comes first) and gives every operation its recorded result.
     */
    static boolean isLinearizable(List<Event> events) {
        if (events.size() > 63) {
            throw new IllegalArgumentException(events.size() + " operations on one key: the checker takes at most 63");
        }
        List<Event> ops = new ArrayList<>(events);
        ops.sort(Comparator.comparingLong(Event::invoke));
        return new Search(ops).from(0L, null);
    }

    private static final class Search {
        private final List<Event> ops;
        private final long all;
        private final Set<Visited> failed = new HashSet<>();

        Search(List<Event> ops) {
            this.ops = ops;
            this.all = ops.size() == 64 ? -1L : (1L << ops.size()) - 1;
        }

        /** Can the operations not in {@code done} be linearized after those in it, from {@code value}? */
        boolean from(long done, Long value) {
            if (done == all) {
                return true;
            }
            Visited here = new Visited(done, value);
            if (failed.contains(here)) {
                return false;
            }
            // an operation may go next only if no pending operation returned before it was invoked
            long firstResponse = Long.MAX_VALUE;
            for (int i = 0; i < ops.size(); i++) {
                if ((done & (1L << i)) == 0) {
                    firstResponse = Math.min(firstResponse, ops.get(i).response());
                }
            }
            for (int i = 0; i < ops.size(); i++) {
                Event e = ops.get(i);
                if ((done & (1L << i)) != 0) {
                    continue;
                }
                if (e.invoke() > firstResponse) {
                    break; // sorted by invocation: every later one is excluded too
                }
                Step s = Step.of(e.kind(), e.arg(), value);
                if (Objects.equals(s.result, e.result()) && from(done | (1L << i), s.next)) {
                    return true;
                }
            }
            failed.add(here);
            return false;
        }
    }

    private record Visited(long done, Long value) {
    }
}
