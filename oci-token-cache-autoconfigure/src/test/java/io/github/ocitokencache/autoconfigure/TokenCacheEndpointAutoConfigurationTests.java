package io.github.ocitokencache.autoconfigure;

import io.github.ocitokencache.actuate.endpoint.TokenCacheEndpoint;
import io.github.ocitokencache.cache.TokenCache;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TokenCacheEndpointAutoConfiguration}.
 *
 * @author oci-token-cache team
 */
class TokenCacheEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(TokenCacheAutoConfiguration.class, TokenCacheEndpointAutoConfiguration.class));

	@Test
	void registersEndpointWhenExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=ocitokencache")
			.run((context) -> assertThat(context).hasSingleBean(TokenCacheEndpoint.class));
	}

	@Test
	void registersNoEndpointUnlessExposed() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(TokenCache.class)
			.doesNotHaveBean(TokenCacheEndpoint.class));
	}

	@Test
	void registersNoEndpointWhenTheStarterIsDisabled() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=ocitokencache",
					"oci.token-cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TokenCacheEndpoint.class));
	}

	@Test
	void registersNoEndpointWithoutActuator() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=ocitokencache")
			.withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class))
			.run((context) -> assertThat(context).hasSingleBean(TokenCache.class)
				.doesNotHaveBean(TokenCacheEndpoint.class));
	}

}
