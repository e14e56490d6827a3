package io.github.ocitokencache.metrics;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.github.ocitokencache.cache.RegistryOperation;
import io.github.ocitokencache.cache.TokenCache;
import io.github.ocitokencache.cache.TokenCacheStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the counts of a {@link TokenCache} to Micrometer, named like Micrometer's cache
 * meters under the prefix {@value #PREFIX}:
 * <ul>
 * <li>{@code oci.token.cache.gets}: lookups, tagged {@code result} ({@code hit},
 * {@code miss} or {@code expired}) and {@code operation} ({@code pull} or {@code push},
 * the operation asked for);</li>
 * <li>{@code oci.token.cache.puts}: credentials stored, by a put or a loader, tagged
 * {@code operation} (the operation they were granted for);</li>
 * <li>{@code oci.token.cache.evictions}: entries the cache removed on its own, to stay
 * within its size bound or to reclaim expired tokens; invalidations are not counted;</li>
 * <li>{@code oci.token.cache.size}: a gauge of the approximate number of entries, expired
 * ones not yet reclaimed included.</li>
 * </ul>
 * Counters read the cache's {@link TokenCacheStatistics} when the registry publishes, so
 * they cost nothing per lookup. Tag values come from fixed sets; no token, registry,
 * repository or key ever becomes a tag.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public class TokenCacheMetrics implements MeterBinder {

	/**
	 * The prefix of every meter name.
	 */
	public static final String PREFIX = "oci.token.cache";

	// Registries such as Prometheus keep one description per meter name, whichever tagged
	// meter registered it, so each description covers every tag value of its name.
	private static final String GETS_DESCRIPTION = "The number of token cache lookups, by result (hit: a cached "
			+ "token was handed out, miss: none was cached, expired: the cached token's time was up) and by the "
			+ "operation (pull, push) asked for";

	private static final String PUTS_DESCRIPTION = "The number of registry credentials stored in the token cache, "
			+ "by the operation (pull, push) they were granted for";

	private final TokenCache tokenCache;

	/**
	 * Create a binder for a cache.
	 * @param tokenCache the cache whose counts to publish
	 */
	public TokenCacheMetrics(TokenCache tokenCache) {
		this.tokenCache = tokenCache;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		TokenCacheStatistics statistics = this.tokenCache.statistics();
		for (RegistryOperation operation : RegistryOperation.values()) {
			String tag = operation.name().toLowerCase(Locale.ROOT);
			gets(registry, statistics, tag, "hit", (counts) -> counts.hitCount(operation));
			gets(registry, statistics, tag, "miss", (counts) -> counts.missCount(operation));
			gets(registry, statistics, tag, "expired", (counts) -> counts.expiredCount(operation));
			FunctionCounter.builder(PREFIX + ".puts", statistics, (counts) -> counts.putCount(operation))
				.tag("operation", tag)
				.description(PUTS_DESCRIPTION)
				.register(registry);
		}
		FunctionCounter.builder(PREFIX + ".evictions", statistics, TokenCacheStatistics::evictionCount)
			.description("The number of entries the token cache removed on its own, to stay within its size bound "
					+ "or to reclaim expired tokens")
			.register(registry);
		Gauge.builder(PREFIX + ".size", this.tokenCache, TokenCache::size)
			.description("The approximate number of entries in the token cache")
			.register(registry);
	}

	private static void gets(MeterRegistry registry, TokenCacheStatistics statistics, String operation, String result,
			ToDoubleFunction<TokenCacheStatistics> count) {
		FunctionCounter.builder(PREFIX + ".gets", statistics, count)
			.tag("result", result)
			.tag("operation", operation)
			.description(GETS_DESCRIPTION)
			.register(registry);
	}

}
