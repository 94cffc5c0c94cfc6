package io.shmstore.examples;

import io.shmstore.examples.spring.SlowSquares;
import io.shmstore.examples.spring.SquaresConfig;
import io.shmstore.jcache.ShmCachingProvider;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * One JVM of the Spring example: a Spring context ({@link SquaresConfig}) whose {@code @Cacheable}
 * service ({@link SlowSquares}) caches through JCache over ShmStore. It asks for the squares of 1 to N
 * and says, for each, whether it computed it or found it cached (by this JVM or any other).
 */
@Command(name = "spring-cache", description = "A Spring app with @Cacheable over JCache over ShmStore: every JVM shares its cache.")
final class SpringCacheCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private SquaresOptions work;

    @Option(names = "--uri", defaultValue = "shmstore:jcache", paramLabel = "URI",
            description = "JCache manager URI: shmstore:<namespace> or file:<directory> (default: ${DEFAULT-VALUE}).")
    private URI uri;

    @Option(names = "--hold", description = "After the calls, keep the cache open until standard input ends.")
    private boolean hold;

    @Override
    public Integer call() throws IOException {
        work.check(spec);
        int numbers = work.numbers;
        int computeMillis = work.computeMillis;
        checkUri();
        PrintWriter out = spec.commandLine().getOut();
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.registerBean(URI.class, () -> uri);
            context.registerBean(SlowSquares.class, () -> new SlowSquares(computeMillis));
            context.register(SquaresConfig.class);
            context.refresh();
            SlowSquares squares = context.getBean(SlowSquares.class);
            long began = System.nanoTime();
            for (int n = 1; n <= numbers; n++) {
                int before = squares.computed();
                long t0 = System.nanoTime();
                long square = squares.square(n);
                long micros = (System.nanoTime() - t0) / 1000;
                out.printf("square(%d) = %d, %s in %,d us%n", n, square, squares.computed() > before ? "computed" : "cached",
                        micros);
            }
            int computed = squares.computed();
            out.printf("summary computed=%d cached=%d millis=%d%n", computed, numbers - computed,
                    (System.nanoTime() - began) / 1_000_000);
            out.flush();
            if (hold) {
                out.println("holding the cache open until standard input ends");
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                while (in.readLine() != null) {
                    // the caller closes it
                }
            }
        }
        return 0;
    }

    /** A URI the provider refuses is a bad command line: one line naming it, before Spring starts. */
    private void checkUri() {
        ShmCachingProvider provider = new ShmCachingProvider();
        try {
            provider.getCacheManager(uri, null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } finally {
            provider.close();
        }
    }
}
