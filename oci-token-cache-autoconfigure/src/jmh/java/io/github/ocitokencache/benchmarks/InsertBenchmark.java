package io.github.ocitokencache.benchmarks;

import java.text.ParseException;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.ocitokencache.cache.BearerToken;
import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryOperation;
import io.github.ocitokencache.cache.TokenCache;
import io.github.ocitokencache.cache.TokenClaims;
import io.github.ocitokencache.cache.TokenClaimsReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The insert path: {@link TokenCache#put put} of a registry JWT, whose claims the cache
 * reads through its no-verify decoder to set the lifetime, against reading the same
 * token's claims with Nimbus alone. Each put replaces the entry of the same key. Reading
 * the claims through the cache's {@link TokenClaimsReader} alone shows how much of a put
 * is the decoder and how much the cache.
 *
 * @author oci-token-cache team
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class InsertBenchmark {

	private String token;

	private BearerToken credential;

	private ImageReference reference;

	private TokenCache tokenCache;

	private TokenClaimsReader claimsReader;

	/**
	 * Mint the token and create an empty cache.
	 */
	@Setup
	public void createToken() {
		this.token = SampleTokens.registryToken("acme/app");
		this.credential = BearerToken.of(this.token);
		this.reference = ImageReference.parse("registry.example.com/acme/app:1.0");
		this.tokenCache = TokenCache.builder().build();
		this.claimsReader = new TokenClaimsReader();
	}

	/**
	 * Put the token in the cache.
	 * @return the cache, so that the put cannot be removed as dead code
	 */
	@Benchmark
	public TokenCache tokenCachePut() {
		this.tokenCache.put(this.reference, RegistryOperation.PULL, this.credential);
		return this.tokenCache;
	}

	/**
	 * Read the token's time claims as a put does, through the no-verify decoder.
	 * @return the claims
	 */
	@Benchmark
	public TokenClaims tokenClaimsReader() {
		return this.claimsReader.read(this.token);
	}

	/**
	 * Read the token's claims with Nimbus alone.
	 * @return the claims
	 * @throws ParseException never, for this token
	 */
	@Benchmark
	public JWTClaimsSet nimbusClaims() throws ParseException {
		return SignedJWT.parse(this.token).getJWTClaimsSet();
	}

}
