package io.github.ocitokencache.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import io.github.ocitokencache.cache.TokenCache;
import io.github.ocitokencache.cache.TokenClaimsReader;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link TokenCache}, built
 * from {@link TokenCacheProperties}. Switched off by
 * {@code oci.token-cache.enabled=false}.
 * <p>
 * The cache reads token claims with a {@link TokenClaimsReader}, which wraps a
 * {@link JwtDecoder} that does not verify signatures. That decoder is deliberately not a
 * bean: a {@code JwtDecoder} bean would make Spring Boot's resource server
 * auto-configuration back off and authenticate requests with it.
 * <p>
 * The cache measures time with the application's {@link Clock} bean when there is exactly
 * one, and with the system clock in UTC otherwise.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = TokenCacheProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(TokenCacheProperties.class)
public final class TokenCacheAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TokenClaimsReader tokenClaimsReader() {
		return new TokenClaimsReader();
	}

	@Bean
	@ConditionalOnMissingBean
	TokenCache tokenCache(TokenCacheProperties properties, TokenClaimsReader tokenClaimsReader,
			ObjectProvider<Clock> clock) {
		return TokenCache.builder()
			.clock(clock.getIfUnique(Clock::systemUTC))
			.defaultExpiration(Duration.ofSeconds(properties.getDefaultExpirationSecs()))
			.maxExpiration(Duration.ofSeconds(properties.getMaxExpirationSecs()))
			.expirationMargin(Duration.ofSeconds(properties.getExpirationMarginSecs()))
			.maxEntries(properties.getMaxEntries())
			.claimsReader(tokenClaimsReader)
			.build();
	}

}
