package io.shmstore.examples;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The Spring example in two JVMs: the first runs {@code spring-cache} and computes every square, then
 * keeps the cache open; the second runs the same application and finds every square the first computed.
 * Both use a JCache manager URI of this run's own, so that nothing else on the host shares their cache.
 */
@Command(name = "spring-demo", description = "Two JVMs run the Spring @Cacheable app; the second finds what the first computed.")
final class SpringDemoCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Spec
    private CommandSpec spec;

    @Mixin
    private SquaresOptions work;

    @Override
    public Integer call() throws IOException {
        work.check(spec);
        int numbers = work.numbers;
        int computeMillis = work.computeMillis;
        PrintWriter out = spec.commandLine().getOut();
        String uri = "shmstore:spring-demo-" + ProcessHandle.current().pid();
        String[] app = {"spring-cache", "--numbers", Integer.toString(numbers), "--compute-ms",
                Integer.toString(computeMillis), "--uri", uri};
        try (ChildJvm.Logs logs = new ChildJvm.Logs("shmstore-spring-demo-");
             ChildJvm first = ChildJvm.start(logs.file("first.out"), with(app, "--hold"))) {
            out.printf("two JVMs run a Spring app whose @Cacheable square(n) takes %d ms; JCache manager %s%n",
                    computeMillis, uri);
            out.flush();
            first.awaitLine(l -> l.startsWith("holding"), TIMEOUT);
            Map<String, String> one = first.summary();
            report(out, "first JVM", first, one);
            Map<String, String> two;
            try (ChildJvm second = ChildJvm.start(logs.file("second.out"), app)) {
                second.awaitSuccess(TIMEOUT);
                two = second.summary();
                report(out, "second JVM", second, two);
            }
            first.release();
            first.awaitSuccess(TIMEOUT);
            boolean ok = Integer.parseInt(one.get("computed")) == numbers && Integer.parseInt(two.get("computed")) == 0
                    && Integer.parseInt(two.get("cached")) == numbers;
            out.println(ok ? "ok: the second JVM found all " + numbers + " squares the first computed"
                    : "FAILED: the second JVM should have computed none");
            return ok ? 0 : ShmStoreTool.USER_ERROR;
        }
    }

    private static void report(PrintWriter out, String who, ChildJvm jvm, Map<String, String> summary) {
        out.printf("  %s (pid %d): computed %s, cached %s, in %s ms%n", who, jvm.pid(), summary.get("computed"),
                summary.get("cached"), summary.get("millis"));
        out.flush();
    }

    private static String[] with(String[] args, String extra) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = extra;
        return all;
    }
}
