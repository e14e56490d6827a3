package io.github.ocitokencache.auth;

import java.time.Duration;

import io.github.ocitokencache.cache.RegistryOperation;
import org.jspecify.annotations.Nullable;

/**
 * Told about every token request a {@link RegistryAuthInterceptor} makes, so that it can
 * be measured without the auth package depending on a metrics library. The
 * {@code io.github.ocitokencache.metrics} package implements it with Micrometer.
 * <p>
 * Implementations must be thread-safe and quick: they are called on the thread that made
 * the request, while other threads may wait for the same token. They never receive a
 * token or a credential. An exception a listener throws is logged at warning level and
 * otherwise ignored.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
@FunctionalInterface
public interface TokenFetchListener {

	/**
	 * A listener that does nothing.
	 */
	TokenFetchListener NONE = (operation, outcome, duration) -> {
	};

	/**
	 * Called once a token request has ended.
	 * @param operation the operation the token was asked for, or {@code null} for a
	 * request the cache does not model (such as a {@code DELETE}), whose token is not
	 * cached
	 * @param outcome how the request ended
	 * @param duration how long it took
	 */
	void tokenFetched(@Nullable RegistryOperation operation, Outcome outcome, Duration duration);

	/**
	 * How a token request ended.
	 */
	enum Outcome {

		/**
		 * The endpoint granted a token.
		 */
		SUCCESS,

		/**
		 * The endpoint answered with a refusal, such as 401, 403 or 5xx.
		 */
		REFUSED,

		/**
		 * No usable answer: the realm was unusable or insecure, the connection failed, a
		 * timeout passed, or the answer held no token.
		 */
		ERROR

	}

}
