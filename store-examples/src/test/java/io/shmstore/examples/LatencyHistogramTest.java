package io.shmstore.examples;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        LongStream.rangeClosed(1, 50).forEach(h::record);
        assertThat(h.percentile(50)).isEqualTo(25);
        assertThat(h.percentile(100)).isEqualTo(50);
        assertThat(h.count()).isEqualTo(50);
    }

    @Test
    void percentilesAreWithinOneSixtyFourthOfTheSortedSamples() {
        Random random = new Random(7);
        long[] samples = new long[100_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (long) Math.exp(random.nextDouble() * 25);
            h.record(samples[i]);
        }
        java.util.Arrays.sort(samples);
        for (double p : new double[]{50, 90, 99, 99.9}) {
            long exact = samples[(int) Math.ceil(samples.length * p / 100) - 1];
            assertThat((double) h.percentile(p)).as("p" + p).isCloseTo(exact, within(exact / 64.0 + 1));
        }
        assertThat(h.max()).isEqualTo(samples[samples.length - 1]);
        assertThat(h.percentile(100)).isEqualTo(h.max());
    }

    @Test
    void anEmptyHistogramSaysZero() {
        assertThat(new LatencyHistogram().percentile(99)).isZero();
    }
}
