package io.github.ocitokencache.benchmarks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.ocitokencache.cache.BearerToken;
import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryCredential;
import io.github.ocitokencache.cache.RegistryOperation;
import io.github.ocitokencache.cache.TokenCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hit path: a pull lookup of a warm key among {@value #REPOSITORIES} repositories of
 * one registry, through {@link TokenCache#get(ImageReference, RegistryOperation)},
 * through a plain {@link ConcurrentHashMap} keyed by an equivalent record (the ceiling),
 * and through the {@link ReferenceDesignTokenCache reference design}. The reference is
 * parsed once, in setup; parsing is measured by {@link ImageReferenceBenchmark}.
 * Subclasses fix the number of threads, which all look up the same key.
 *
 * @author oci-token-cache team
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class HitPathBenchmark {

	private static final int REPOSITORIES = 100;

	private static final int WARM = 42;

	private TokenCache tokenCache;

	private ConcurrentHashMap<MapKey, RegistryCredential> map;

	private ReferenceDesignTokenCache referenceDesign;

	private ImageReference reference;

	/**
	 * Fill the three caches with one token per repository.
	 */
	@Setup
	public void fill() {
		String token = SampleTokens.registryToken("acme/service-" + WARM);
		this.tokenCache = TokenCache.builder().build();
		this.map = new ConcurrentHashMap<>();
		this.referenceDesign = new ReferenceDesignTokenCache(60);
		for (int i = 0; i < REPOSITORIES; i++) {
			ImageReference repository = ImageReference.parse("registry.example.com/acme/service-" + i + ":1.0");
			BearerToken credential = BearerToken.of(token);
			this.tokenCache.put(repository, RegistryOperation.PULL, credential);
			this.map.put(new MapKey(repository.registry(), repository.repository(), RegistryOperation.PULL),
					credential);
			this.referenceDesign.insert(repository, RegistryOperation.PULL, token);
		}
		this.reference = ImageReference.parse("registry.example.com/acme/service-" + WARM + ":1.0");
		if (tokenCache() == null || concurrentHashMap() == null || referenceDesign() == null) {
			throw new IllegalStateException("The warm key must be a hit in every cache");
		}
	}

	/**
	 * A hit in the token cache.
	 * @return the credential
	 */
	@Benchmark
	public RegistryCredential tokenCache() {
		return this.tokenCache.get(this.reference, RegistryOperation.PULL);
	}

	/**
	 * A hit in a plain concurrent map, with the key record built as the token cache
	 * builds it.
	 * @return the credential
	 */
	@Benchmark
	public RegistryCredential concurrentHashMap() {
		return this.map.get(new MapKey(this.reference.registry(), this.reference.repository(), RegistryOperation.PULL));
	}

	/**
	 * A hit in the reference design.
	 * @return the token text
	 */
	@Benchmark
	public String referenceDesign() {
		return this.referenceDesign.get(this.reference, RegistryOperation.PULL);
	}

	/**
	 * One read of the wall clock, as the reference design makes per lookup.
	 * @return the time in epoch milliseconds
	 */
	@Benchmark
	public long wallClock() {
		return System.currentTimeMillis();
	}

	/**
	 * The key of the plain map: the same fields as the token cache's own key.
	 */
	private record MapKey(String registry, String repository, RegistryOperation operation) {

	}

}
