package io.github.ocitokencache.autoconfigure;

import io.github.ocitokencache.actuate.endpoint.TokenCacheEndpoint;
import io.github.ocitokencache.cache.TokenCache;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link TokenCacheEndpoint},
 * when Spring Boot Actuator is on the class path and the endpoint is available. Like
 * every endpoint but {@code health}, it is exposed over HTTP only when the application
 * says so, for example with {@code management.endpoints.web.exposure.include}.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
@AutoConfiguration(after = TokenCacheAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnAvailableEndpoint(TokenCacheEndpoint.class)
@ConditionalOnBooleanProperty(name = TokenCacheProperties.PREFIX + ".enabled", matchIfMissing = true)
public final class TokenCacheEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(TokenCache.class)
	TokenCacheEndpoint tokenCacheEndpoint(TokenCache tokenCache) {
		return new TokenCacheEndpoint(tokenCache);
	}

}
