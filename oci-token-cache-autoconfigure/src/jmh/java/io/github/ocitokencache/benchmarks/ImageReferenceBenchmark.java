package io.github.ocitokencache.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.ocitokencache.cache.ImageReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ImageReference#parse(String)} of a Docker Hub short name, a tagged reference on
 * another registry, and a digest reference on a registry with a port.
 *
 * @author oci-token-cache team
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class ImageReferenceBenchmark {

	@Param({ "busybox", "ghcr.io/acme/team/app:1.4.2",
			"localhost:5000/app@sha256:9b2a9f3c0e5d7b4a6c8e1f0d2b4a6c8e9f1a3b5c7d9e0f2a4b6c8d0e1f3a5b7c" })
	private String reference;

	/**
	 * Parse the reference.
	 * @return the parsed reference
	 */
	@Benchmark
	public ImageReference parse() {
		return ImageReference.parse(this.reference);
	}

}
