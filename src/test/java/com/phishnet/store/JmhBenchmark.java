package com.phishnet.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH microbenchmarks ({@code *Jmh} classes in the test tree, next to the code they measure) and writes
 * JMH's table to the console and its results to {@code target/benchmark/jmh.json}. Not part of the test run:
 * {@code ./mvnw -B -Pjmh test} (docs/performance.md). It asserts no timing, only that benchmarks ran and none failed.
 * <p>
 * Every parameter is a system property ({@code -Djmh.forks=2} on the Maven command line): {@code jmh.include}
 * (regular expression over benchmark names), {@code jmh.forks}, {@code jmh.warmupIterations}, {@code jmh.warmupTime},
 * {@code jmh.iterations}, {@code jmh.time}, {@code jmh.threads}, {@code jmh.jvmArgs} (added to the forks' JVM
 * options, space-separated), {@code jmh.profilers} (comma-separated, e.g. {@code gc}) and {@code jmh.result}.
 * The defaults — one fork, 5 warm-up and 5 measured iterations of 1 s, one thread — take about three and a half
 * minutes, build included, on two cores.
 */
@Tag("jmh")
class JmhBenchmark {

    @Test
    void runsTheMicrobenchmarks() throws Exception {
        assertThat(JmhBenchmark.class.getResource("/META-INF/BenchmarkList"))
                .as("JMH's benchmark list, written by its annotation processor when the tests compile: test classes"
                        + " compiled without it (-proc:none, an IDE) lack it; run ./mvnw -B -Pjmh clean test")
                .isNotNull();
        Path result = Path.of(System.getProperty("jmh.result", "target/benchmark/jmh.json"));
        Files.createDirectories(result.toAbsolutePath().getParent());
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(System.getProperty("jmh.include", "com\\.phishnet\\.store\\..*Jmh\\."))
                .forks(Integer.getInteger("jmh.forks", 1))
                .warmupIterations(Integer.getInteger("jmh.warmupIterations", 5))
                .warmupTime(TimeValue.fromString(System.getProperty("jmh.warmupTime", "1s")))
                .measurementIterations(Integer.getInteger("jmh.iterations", 5))
                .measurementTime(TimeValue.fromString(System.getProperty("jmh.time", "1s")))
                .threads(Integer.getInteger("jmh.threads", 1))
                .shouldFailOnError(true)
                .result(result.toString())
                .resultFormat(ResultFormatType.JSON);
        String jvmArgs = System.getProperty("jmh.jvmArgs", "").strip();
        if (!jvmArgs.isEmpty()) {
            options.jvmArgsAppend(jvmArgs.split("\\s+"));
        }
        Arrays.stream(System.getProperty("jmh.profilers", "").split(",")).map(String::strip)
                .filter(name -> !name.isEmpty()).forEach(options::addProfiler);

        Collection<RunResult> results = new Runner(options.build()).run();

        assertThat(results).as("benchmarks run").isNotEmpty();
        assertThat(result).as("JMH results file").isNotEmptyFile();
    }
}
