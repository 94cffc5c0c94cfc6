package io.shmstore.examples.spring;

import org.springframework.cache.annotation.Cacheable;

import java.util.concurrent.atomic.AtomicInteger;

/** A service whose answers are slow to compute and cached through Spring's {@code @Cacheable}. */
public class SlowSquares {
    private final long computeMillis;
    private final AtomicInteger computed = new AtomicInteger();

    /**
     * A service whose every computation takes {@code computeMillis}.
     *
     * @param computeMillis the pause of each computation, in milliseconds
     */
    public SlowSquares(long computeMillis) {
        this.computeMillis = computeMillis;
    }

    /**
     * {@code n * n}, after a pause that stands for real work; cached under {@code n}.
     *
     * @param n the number to square
     * @return its square
     */
    @Cacheable(SquaresConfig.CACHE)
    public long square(long n) {
        computed.incrementAndGet();
        try {
            Thread.sleep(computeMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return n * n;
    }

    /**
     * How many calls this JVM computed rather than found in the cache.
     *
     * @return the count, since this service was made
     */
    public int computed() {
        return computed.get();
    }
}
