package io.github.ocitokencache.cache;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Decides how long a bearer token lives and how long the cache hands it out.
 * <p>
 * Lifetimes are relative, anchored at the local clock when the token arrives, so a client
 * whose clock is off still keeps a token for the time the server meant. The sources, of
 * which the smallest wins: {@code expires_in} from the response; {@code exp - iat} when
 * the JWT carries both; {@code exp - now} when it carries {@code exp} only. With none,
 * the lifetime is the default. The result is capped at the maximum. A token is handed out
 * until {@code lifetime - min(margin, lifetime / 2)} has passed, so the margin never eats
 * more than half of a short lifetime.
 *
 * @author oci-token-cache team
 */
final class TokenLifetimePolicy {

	private final Duration defaultLifetime;

	private final Duration margin;

	private final Duration maxLifetime;

	private final TokenClaimsReader claimsReader;

	TokenLifetimePolicy(Duration defaultLifetime, Duration margin, Duration maxLifetime,
			TokenClaimsReader claimsReader) {
		Assert.isTrue(defaultLifetime.compareTo(Duration.ZERO) > 0, "'defaultLifetime' must be positive");
		Assert.isTrue(!margin.isNegative(), "'margin' must not be negative");
		Assert.isTrue(maxLifetime.compareTo(Duration.ZERO) > 0, "'maxLifetime' must be positive");
		this.defaultLifetime = defaultLifetime;
		this.margin = margin;
		this.maxLifetime = maxLifetime;
		this.claimsReader = claimsReader;
	}

	Duration lifetime(BearerToken token, Instant now) {
		Duration lifetime = token.expiresIn();
		TokenClaims claims = this.claimsReader.read(token.token());
		Instant expiresAt = claims.expiresAt();
		if (expiresAt != null) {
			Instant issuedAt = claims.issuedAt();
			lifetime = shorter(lifetime, Duration.between((issuedAt != null) ? issuedAt : now, expiresAt));
		}
		if (lifetime == null) {
			lifetime = this.defaultLifetime;
		}
		return (lifetime.compareTo(this.maxLifetime) > 0) ? this.maxLifetime : lifetime;
	}

	Duration handOutPeriod(Duration lifetime) {
		if (lifetime.compareTo(Duration.ZERO) <= 0) {
			return lifetime;
		}
		Duration half = lifetime.dividedBy(2);
		return lifetime.minus((this.margin.compareTo(half) < 0) ? this.margin : half);
	}

	private static Duration shorter(@Nullable Duration current, Duration candidate) {
		return (current == null || candidate.compareTo(current) < 0) ? candidate : current;
	}

}
