package io.github.ocitokencache.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/**
 * The {@link HitPathBenchmark hit path} on two threads looking up the same key at once.
 *
 * @author oci-token-cache team
 */
@Threads(2)
public class HitPathTwoThreadsBenchmark extends HitPathBenchmark {

}
