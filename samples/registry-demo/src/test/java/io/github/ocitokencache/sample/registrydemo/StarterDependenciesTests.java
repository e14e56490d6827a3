package io.github.ocitokencache.sample.registrydemo;

import io.github.ocitokencache.auth.TokenEndpointClient;
import io.github.ocitokencache.autoconfigure.RegistryAuthAutoConfiguration;
import io.github.ocitokencache.autoconfigure.TokenCacheAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shows that an application depending on nothing but the starter (and Spring MVC, which
 * does not bring it) has the {@code RestClient.Builder} bean that the README tells it to
 * build its registry client from.
 *
 * @author oci-token-cache team
 */
class StarterDependenciesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
				ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
				TokenCacheAutoConfiguration.class, RegistryAuthAutoConfiguration.class));

	@Test
	void starterBringsTheRestClientBuilderThatTheTokenEndpointClientStartsFrom() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(RestClient.Builder.class)
			.hasSingleBean(TokenEndpointClient.class));
	}

}
