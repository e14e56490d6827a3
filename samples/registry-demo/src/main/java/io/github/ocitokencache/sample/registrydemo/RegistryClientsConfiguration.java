package io.github.ocitokencache.sample.registrydemo;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.ocitokencache.auth.RegistryAuthInterceptor;
import io.github.ocitokencache.auth.RegistryLogin;
import io.github.ocitokencache.auth.TokenEndpointClient;
import io.github.ocitokencache.auth.TokenFetchListener;
import io.github.ocitokencache.autoconfigure.TokenCacheProperties;
import io.github.ocitokencache.cache.TokenCache;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the {@link RegistryClients} of the demo: over the starter's
 * {@code registryAuthInterceptor} bean when {@code demo.cache} is on (the default), and
 * otherwise over a new {@link RegistryAuthInterceptor} per request, built like the
 * starter's (same token endpoint client, realm policy, credentials and fetch metrics) but
 * over a fresh, empty {@link TokenCache}.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
class RegistryClientsConfiguration {

	@Bean
	RegistryClients registryClients(DemoProperties demoProperties, RegistryAuthInterceptor registryAuthInterceptor,
			TokenEndpointClient tokenEndpointClient, TokenCacheProperties tokenCacheProperties,
			ObjectProvider<TokenFetchListener> fetchListeners) {
		Set<String> plainHttpHosts = new LinkedHashSet<>();
		demoProperties.getPlainHttpHosts().forEach((host) -> plainHttpHosts.add(host.toLowerCase(Locale.ROOT)));
		if (demoProperties.isCache()) {
			return RegistryClients.shared(registryAuthInterceptor, plainHttpHosts);
		}
		List<TokenFetchListener> listeners = fetchListeners.orderedStream().toList();
		return RegistryClients.perRequest(
				() -> uncachedInterceptor(tokenEndpointClient, tokenCacheProperties, listeners), plainHttpHosts);
	}

	private static RegistryAuthInterceptor uncachedInterceptor(TokenEndpointClient tokenEndpointClient,
			TokenCacheProperties properties, List<TokenFetchListener> listeners) {
		TokenCache freshCache = TokenCache.builder()
			.defaultExpiration(Duration.ofSeconds(properties.getDefaultExpirationSecs()))
			.maxExpiration(Duration.ofSeconds(properties.getMaxExpirationSecs()))
			.expirationMargin(Duration.ofSeconds(properties.getExpirationMarginSecs()))
			.build();
		RegistryAuthInterceptor.Builder builder = RegistryAuthInterceptor.builder(freshCache, tokenEndpointClient);
		listeners.forEach(builder::fetchListener);
		properties.getRegistries().forEach((registry, settings) -> {
			if (settings.getIdentityToken() != null && !settings.getIdentityToken().isEmpty()) {
				builder.login(registry, RegistryLogin.identityToken(settings.getIdentityToken()));
			}
			else if (settings.getUsername() != null && !settings.getUsername().isEmpty()
					&& settings.getPassword() != null) {
				builder.login(registry, RegistryLogin.basic(settings.getUsername(), settings.getPassword()));
			}
		});
		return builder.build();
	}

}
