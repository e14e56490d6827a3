package io.github.ocitokencache.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.ocitokencache.auth.WwwAuthenticate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link WwwAuthenticate#parse(List)} of a registry's usual {@code Bearer} challenge, and
 * of an {@code insufficient_scope} challenge with two scopes followed by a {@code Basic}
 * challenge on a second header line.
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
public class ChallengeParserBenchmark {

	@Param({ "bearer", "insufficientScope" })
	private String challenge;

	private List<String> headerValues;

	/**
	 * Select the header lines.
	 */
	@Setup
	public void selectHeaderValues() {
		this.headerValues = switch (this.challenge) {
			case "bearer" -> List.of("Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
					+ "scope=\"repository:acme/app:pull\"");
			case "insufficientScope" ->
				List.of("Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
						+ "scope=\"repository:acme/app:pull,push repository:acme/base:pull\","
						+ "error=\"insufficient_scope\"", "Basic realm=\"registry.example.com\"");
			default -> throw new IllegalArgumentException("Unknown challenge " + this.challenge);
		};
	}

	/**
	 * Parse the header lines.
	 * @return the challenges
	 */
	@Benchmark
	public WwwAuthenticate parse() {
		return WwwAuthenticate.parse(this.headerValues);
	}

}
