package io.github.ocitokencache.autoconfigure;

import io.github.ocitokencache.cache.TokenCache;
import io.github.ocitokencache.metrics.TokenCacheMetrics;
import io.github.ocitokencache.metrics.TokenFetchMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for {@link TokenCacheMetrics} and
 * {@link TokenFetchMetrics} (which the auto-configured
 * {@link io.github.ocitokencache.auth.RegistryAuthInterceptor} reports to), when
 * Micrometer is on the class path and the application has a {@link MeterRegistry}. The
 * meters are switched off with Spring Boot's
 * {@code management.metrics.enable.oci.token.cache=false}.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
@AutoConfiguration(after = TokenCacheAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean({ MeterRegistry.class, TokenCache.class })
@ConditionalOnBooleanProperty(name = TokenCacheProperties.PREFIX + ".enabled", matchIfMissing = true)
public final class TokenCacheMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TokenCacheMetrics tokenCacheMetrics(TokenCache tokenCache) {
		return new TokenCacheMetrics(tokenCache);
	}

	@Bean
	@ConditionalOnMissingBean
	TokenFetchMetrics tokenFetchMetrics() {
		return new TokenFetchMetrics();
	}

}
