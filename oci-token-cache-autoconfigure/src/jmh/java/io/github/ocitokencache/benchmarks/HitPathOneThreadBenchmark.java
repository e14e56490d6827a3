package io.github.ocitokencache.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/**
 * The {@link HitPathBenchmark hit path} on one thread.
 *
 * @author oci-token-cache team
 */
@Threads(1)
public class HitPathOneThreadBenchmark extends HitPathBenchmark {

}
