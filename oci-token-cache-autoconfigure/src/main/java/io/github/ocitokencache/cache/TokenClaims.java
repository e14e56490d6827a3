package io.github.ocitokencache.cache;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The time claims of a JWT that matter for its lifetime in the cache.
 *
 * @param issuedAt the {@code iat} claim, if the token carries one
 * @param expiresAt the {@code exp} claim, if the token carries one
 * @author oci-token-cache team
 * @since 0.1.0
 */
public record TokenClaims(@Nullable Instant issuedAt, @Nullable Instant expiresAt) {

	/**
	 * Claims that say nothing about a token's lifetime.
	 */
	public static final TokenClaims NONE = new TokenClaims(null, null);

}
