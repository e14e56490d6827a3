package io.github.ocitokencache.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.github.ocitokencache.auth.RegistryAuthInterceptor;
import io.github.ocitokencache.auth.TokenFetchListener;
import io.github.ocitokencache.cache.RegistryOperation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Times the token requests of a {@link RegistryAuthInterceptor} with the timer
 * {@code oci.token.cache.fetches}, beside the meters of {@link TokenCacheMetrics}. Its
 * tags are {@code outcome} ({@code success}, {@code refused} or {@code error}, see
 * {@link TokenFetchListener.Outcome}) and {@code operation} ({@code pull}, {@code push},
 * or {@code other} for an uncached token such as one for a {@code DELETE}).
 * <p>
 * Every combination of tags is registered when the binder is bound, so the timers show
 * zero before the first request. Requests made before that are not recorded. Instances
 * are thread-safe.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public class TokenFetchMetrics implements MeterBinder, TokenFetchListener {

	/**
	 * The name of the timer.
	 */
	public static final String FETCHES = TokenCacheMetrics.PREFIX + ".fetches";

	private static final String OTHER_OPERATION = "other";

	// One description for every tagged timer: registries such as Prometheus keep one per
	// meter name.
	private static final String DESCRIPTION = "Token requests to registry token endpoints, by outcome (success: a "
			+ "token was granted, refused: a 4xx or 5xx answer, error: no usable answer) and by operation (pull, "
			+ "push, or other for an uncached token such as one for a DELETE)";

	private volatile @Nullable Map<Outcome, Map<String, Timer>> timers;

	@Override
	public void bindTo(MeterRegistry registry) {
		Map<Outcome, Map<String, Timer>> byOutcome = new EnumMap<>(Outcome.class);
		for (Outcome outcome : Outcome.values()) {
			Map<String, Timer> byOperation = new HashMap<>();
			for (RegistryOperation operation : RegistryOperation.values()) {
				byOperation.put(tag(operation), timer(registry, outcome, tag(operation)));
			}
			byOperation.put(OTHER_OPERATION, timer(registry, outcome, OTHER_OPERATION));
			byOutcome.put(outcome, byOperation);
		}
		this.timers = byOutcome;
	}

	@Override
	public void tokenFetched(@Nullable RegistryOperation operation, Outcome outcome, Duration duration) {
		Map<Outcome, Map<String, Timer>> timers = this.timers;
		if (timers != null) {
			timers.get(outcome).get(tag(operation)).record(duration);
		}
	}

	private static Timer timer(MeterRegistry registry, Outcome outcome, String operation) {
		return Timer.builder(FETCHES)
			.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
			.tag("operation", operation)
			.description(DESCRIPTION)
			.register(registry);
	}

	private static String tag(@Nullable RegistryOperation operation) {
		return (operation != null) ? operation.name().toLowerCase(Locale.ROOT) : OTHER_OPERATION;
	}

}
