package io.shmstore.jmh;

import io.shmstore.Codec;
import io.shmstore.Codecs;
import io.shmstore.SharedStore;
import io.shmstore.codec.JsonCodec;
import io.shmstore.codec.SmileCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The codec dimension of a ShmStore read and write: the same ~100-byte tick stored as raw bytes, as a
 * {@code BytesMarshallable}, as JSON and as Smile; 10,000 keys chosen at random (boxed beforehand, so
 * the allocation figures are the store's and the codec's).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StoreCodecBenchmark {
    private static final int KEYS = 10_000;

    @Param({"bytes", "marshallable", "json", "smile"})
    public String codec;

    private Path dir;
    private SharedStore<Integer, Object> store;
    private Object[] values;
    private Integer[] keys;
    private Object reuse;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Scratch.freshShmDir();
        Codec<?> c;
        values = new Object[KEYS];
        keys = new Integer[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = i;
        }
        switch (codec) {
            case "bytes":
                c = Codecs.bytes();
                for (int i = 0; i < KEYS; i++) {
                    values[i] = new byte[100];
                }
                reuse = new byte[100];
                break;
            case "marshallable":
                c = Codecs.marshallable(Tick.class);
                break;
            case "json":
                c = JsonCodec.of(Tick.class);
                break;
            case "smile":
                c = SmileCodec.of(Tick.class);
                break;
            default:
                throw new IllegalArgumentException(codec);
        }
        if (!codec.equals("bytes")) {
            for (int i = 0; i < KEYS; i++) {
                values[i] = new Tick(i);
            }
            reuse = new Tick();
        }
        store = SharedStore.of(Integer.class, Object.class).name("codec-bench").entries(KEYS)
                .averageValueSize(160).valueCodec(asObjects(c)).create();
        for (int i = 0; i < KEYS; i++) {
            store.put(i, values[i]);
        }
    }

    /**
     * One store serves every codec, so its values are typed {@code Object}; {@link #setUp()} makes the
     * values and the reuse object of the codec's own type, which is what makes this cast hold.
     */
    @SuppressWarnings("unchecked")
    private static Codec<Object> asObjects(Codec<?> codec) {
        return (Codec<Object>) codec;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        Scratch.delete(dir);
    }

    @Benchmark
    public Object getUsing() {
        return store.getUsing(keys[ThreadLocalRandom.current().nextInt(KEYS)], reuse);
    }

    @Benchmark
    public Object get() {
        return store.get(keys[ThreadLocalRandom.current().nextInt(KEYS)]);
    }

    @Benchmark
    public Object put() {
        int k = ThreadLocalRandom.current().nextInt(KEYS);
        return store.put(keys[k], values[k]);
    }
}
