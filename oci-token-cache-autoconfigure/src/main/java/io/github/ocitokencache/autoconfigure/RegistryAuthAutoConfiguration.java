package io.github.ocitokencache.autoconfigure;

import java.util.Map;

import io.github.ocitokencache.auth.RealmPolicy;
import io.github.ocitokencache.auth.RegistryAuthInterceptor;
import io.github.ocitokencache.auth.RegistryLogin;
import io.github.ocitokencache.auth.TokenEndpointClient;
import io.github.ocitokencache.auth.TokenFetchListener;
import io.github.ocitokencache.cache.TokenCache;
import io.github.ocitokencache.cache.TokenResponseReader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.client.RestClient;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the registry authentication
 * flow: a {@link RealmPolicy}, a {@link TokenEndpointClient} and the
 * {@link RegistryAuthInterceptor} bean {@code registryAuthInterceptor}, with the
 * credentials of {@code oci.token-cache.registries.*}.
 * <p>
 * Registry settings that could not be used as written stop start-up with an
 * {@link InvalidTokenCachePropertyException}: a key that is not a registry host with an
 * optional port, two keys for one registry, a username without a password or the reverse,
 * a trusted realm host with a scheme, port or path, or a property that binds to nothing.
 * An identity token takes precedence over a password: a password set beside one is not
 * used, and a warning says so.
 * <p>
 * The interceptor is not added to any {@code RestClient} on its own: credentials must
 * only go to registries, so an application adds it to the client it uses for them, with
 * {@code builder.requestInterceptor(registryAuthInterceptor)}.
 * <p>
 * Every {@link TokenFetchListener} bean, in their order, is told about the interceptor's
 * token requests: the {@code TokenFetchMetrics} of the metrics auto-configuration and any
 * of the application's own alike.
 * <p>
 * The token endpoint client starts from the application's {@code RestClient.Builder} when
 * Spring Boot's {@code spring-boot-restclient} provides one, and from
 * {@link RestClient#builder()} otherwise; either way it gets a request factory of its own
 * that follows no redirects.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
@AutoConfiguration(after = TokenCacheAutoConfiguration.class,
		afterName = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration")
@ConditionalOnBooleanProperty(name = TokenCacheProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBean(TokenCache.class)
public final class RegistryAuthAutoConfiguration {

	private static final Log logger = LogFactory.getLog(RegistryAuthAutoConfiguration.class);

	RegistryAuthAutoConfiguration(TokenCacheProperties properties, Environment environment) {
		// Binding checks the registries it binds; this also catches properties that bound
		// to nothing, and registries added to the properties bean after binding.
		RegistryPropertiesValidator.validatePropertyNames(environment);
		RegistryPropertiesValidator.validate(properties.getRegistries());
	}

	@Bean
	@ConditionalOnMissingBean
	RealmPolicy realmPolicy(TokenCacheProperties properties) {
		RealmPolicy policy = RealmPolicy.standard();
		for (Map.Entry<String, TokenCacheProperties.Registry> entry : properties.getRegistries().entrySet()) {
			if (!entry.getValue().getTrustedRealmHosts().isEmpty()) {
				policy = policy.trust(entry.getKey(), entry.getValue().getTrustedRealmHosts());
			}
		}
		return policy;
	}

	@Bean
	@ConditionalOnMissingBean
	TokenEndpointClient tokenEndpointClient(ObjectProvider<RestClient.Builder> restClientBuilder,
			RealmPolicy realmPolicy) {
		return new TokenEndpointClient(restClientBuilder.getIfAvailable(RestClient::builder), realmPolicy,
				new TokenResponseReader(), TokenEndpointClient.DEFAULT_CONNECT_TIMEOUT,
				TokenEndpointClient.DEFAULT_READ_TIMEOUT);
	}

	@Bean
	@ConditionalOnMissingBean
	RegistryAuthInterceptor registryAuthInterceptor(TokenCache tokenCache, TokenEndpointClient tokenEndpointClient,
			TokenCacheProperties properties, ObjectProvider<TokenFetchListener> fetchListeners) {
		RegistryAuthInterceptor.Builder builder = RegistryAuthInterceptor.builder(tokenCache, tokenEndpointClient);
		fetchListeners.orderedStream().forEach(builder::fetchListener);
		properties.getRegistries().forEach((registry, settings) -> {
			RegistryLogin login = login(registry, settings);
			if (login != null) {
				builder.login(registry, login);
			}
		});
		return builder.build();
	}

	private static @Nullable RegistryLogin login(String registry, TokenCacheProperties.Registry settings) {
		String identityToken = settings.getIdentityToken();
		String username = settings.getUsername();
		String password = settings.getPassword();
		if (identityToken != null && !identityToken.isEmpty()) {
			if (password != null && !password.isEmpty()) {
				logger.warn("Property " + TokenCacheProperties.PREFIX + ".registries[" + registry
						+ "].password is not used: identity-token is set for the registry too, and takes precedence");
			}
			return RegistryLogin.identityToken(identityToken);
		}
		if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
			return null;
		}
		return RegistryLogin.basic(username, password);
	}

}
