package io.github.ocitokencache.autoconfigure;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.ocitokencache.auth.AuthChallenge;
import io.github.ocitokencache.auth.RealmPolicy;
import io.github.ocitokencache.auth.RegistryAuthInterceptor;
import io.github.ocitokencache.auth.RegistryLogin;
import io.github.ocitokencache.auth.TokenEndpointClient;
import io.github.ocitokencache.auth.TokenFetchListener;
import io.github.ocitokencache.auth.WwwAuthenticate;
import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryOperation;
import io.github.ocitokencache.cache.TokenCache;
import io.github.ocitokencache.cache.TokenResponseException;
import io.github.ocitokencache.metrics.TokenFetchMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RegistryAuthAutoConfiguration} and the fetch timer of
 * {@link TokenCacheMetricsAutoConfiguration}.
 *
 * @author oci-token-cache team
 */
class RegistryAuthAutoConfigurationTests {

	private static final String REGISTRY = "oci.token-cache.registries[registry.example.com]";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(TokenCacheAutoConfiguration.class, RegistryAuthAutoConfiguration.class));

	@Test
	void providesPolicyTokenClientAndInterceptor() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RealmPolicy.class).hasSingleBean(TokenEndpointClient.class);
			assertThat(context).hasBean("registryAuthInterceptor");
			assertThat(context.getBean("registryAuthInterceptor")).isInstanceOf(RegistryAuthInterceptor.class);
		});
	}

	@Test
	void realmPolicyTrustsConfiguredRealmHostsBesidesDockerHubs() {
		this.contextRunner.withPropertyValues(REGISTRY + ".trusted-realm-hosts=auth.example.com").run((context) -> {
			RealmPolicy policy = context.getBean(RealmPolicy.class);
			ImageReference reference = ImageReference.of("registry.example.com", "demo/app");
			assertThat(policy.allowsCredentials(URI.create("https://auth.example.com/token"), reference)).isTrue();
			assertThat(policy.allowsCredentials(URI.create("https://evil.example/token"), reference)).isFalse();
			assertThat(policy.trustedRealmHosts("docker.io")).contains(RealmPolicy.DOCKER_HUB_REALM_HOST);
		});
	}

	@Test
	void interceptorShowsWhichRegistriesHaveLoginsButNoSecret() {
		this.contextRunner
			.withPropertyValues(REGISTRY + ".username=alice", REGISTRY + ".password=hunter2",
					"oci.token-cache.registries[ghcr.io].identity-token=refresh-secret")
			.run((context) -> assertThat(context.getBean(RegistryAuthInterceptor.class)).asString()
				.contains("registry.example.com", "ghcr.io")
				.doesNotContain("hunter2", "refresh-secret", "alice"));
	}

	@Test
	void usernameWithoutPasswordFailsStartup() {
		this.contextRunner.withPropertyValues(REGISTRY + ".username=alice")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidTokenCachePropertyException.class)
				.hasMessageContaining(
						"'" + REGISTRY + ".username': it is set, but '" + REGISTRY + ".password' is missing"));
	}

	@Test
	void tokenClientStartsFromTheApplicationsRestClientBuilder() {
		this.contextRunner.withUserConfiguration(RestClientBuilderConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(TokenEndpointClient.class);
			assertThat(context.getBean(RestClientBuilderConfiguration.class).used).isTrue();
		});
	}

	@Test
	void tokenClientStartsFromSpringBootsBuilderButFollowsNoRedirectEvenWhenBootWouldFollowThem() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		String registry = "127.0.0.1:" + server.getAddress().getPort();
		List<String> redirectedCustomizations = new CopyOnWriteArrayList<>();
		List<String> followed = new CopyOnWriteArrayList<>();
		server.createContext("/token", (exchange) -> {
			redirectedCustomizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Customized")));
			exchange.getResponseHeaders().add(HttpHeaders.LOCATION, "http://" + registry + "/elsewhere");
			respond(exchange, 302, "");
		});
		server.createContext("/elsewhere", (exchange) -> {
			followed.add(String.valueOf(exchange.getRequestHeaders().getFirst(HttpHeaders.AUTHORIZATION)));
			respond(exchange, 200, "{\"token\":\"t1\"}");
		});
		server.start();
		try {
			this.contextRunner
				.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
						ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class))
				.withPropertyValues("spring.http.clients.redirects=follow")
				.withBean(RestClientCustomizer.class,
						() -> (builder) -> builder.defaultHeader("X-Customized", "by-the-application"))
				.run((context) -> {
					assertThat(context).hasSingleBean(RestClient.Builder.class);
					AuthChallenge challenge = WwwAuthenticate
						.parse(List.of("Bearer realm=\"http://" + registry + "/token\",service=\"test\""))
						.preferredChallenge();
					assertThatExceptionOfType(TokenResponseException.class)
						.isThrownBy(() -> context.getBean(TokenEndpointClient.class)
							.fetch(challenge, URI.create("http://" + registry + "/v2/app/tags/list"),
									ImageReference.of(registry, "app"), RegistryOperation.PULL,
									RegistryLogin.basic("alice", "secret")))
						.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(302));
					assertThat(redirectedCustomizations).containsExactly("by-the-application");
					assertThat(followed).isEmpty();
				});
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void backsOffFromUserBeans() {
		this.contextRunner.withUserConfiguration(UserInterceptorConfiguration.class)
			.run((context) -> assertThat(context).getBean(RegistryAuthInterceptor.class)
				.isSameAs(context.getBean(UserInterceptorConfiguration.class).interceptor));
	}

	@Test
	void isOffWhenTheStarterIsDisabled() {
		this.contextRunner.withPropertyValues("oci.token-cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RegistryAuthInterceptor.class)
				.doesNotHaveBean(TokenEndpointClient.class));
	}

	@Test
	void tokenFetchesAreTimedWithOutcomeAndOperationWhenThereIsAMeterRegistry() {
		this.contextRunner
			.withConfiguration(
					AutoConfigurations.of(TokenCacheMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
							SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(TokenFetchMetrics.class);
				TokenFetchListener listener = context.getBean(TokenFetchListener.class);
				listener.tokenFetched(RegistryOperation.PUSH, TokenFetchListener.Outcome.REFUSED,
						Duration.ofMillis(40));
				listener.tokenFetched(null, TokenFetchListener.Outcome.SUCCESS, Duration.ofMillis(5));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("oci.token.cache.fetches").timers()).hasSize(9);
				Timer refused = registry.get("oci.token.cache.fetches")
					.tag("outcome", "refused")
					.tag("operation", "push")
					.timer();
				assertThat(refused.count()).isOne();
				assertThat(refused.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
				assertThat(registry.get("oci.token.cache.fetches")
					.tag("outcome", "success")
					.tag("operation", "other")
					.timer()
					.count()).isOne();
			});
	}

	@Test
	void applicationsFetchListenerAndTheFetchTimerBothSeeATokenRequest() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		String registry = "127.0.0.1:" + server.getAddress().getPort();
		server.createContext("/token", (exchange) -> respond(exchange, 200, "{\"token\":\"t1\"}"));
		server.createContext("/", (exchange) -> {
			if ("Bearer t1".equals(exchange.getRequestHeaders().getFirst(HttpHeaders.AUTHORIZATION))) {
				respond(exchange, 200, "{}");
				return;
			}
			exchange.getResponseHeaders()
				.add(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"http://" + registry
						+ "/token\",service=\"test\",scope=\"repository:app:pull\"");
			respond(exchange, 401, "");
		});
		server.start();
		try {
			this.contextRunner
				.withConfiguration(AutoConfigurations.of(TokenCacheMetricsAutoConfiguration.class,
						MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
						CompositeMeterRegistryAutoConfiguration.class))
				.withUserConfiguration(FetchListenerConfiguration.class)
				.run((context) -> {
					RestClient client = RestClient.builder()
						.baseUrl("http://" + registry)
						.requestFactory(new JdkClientHttpRequestFactory())
						.requestInterceptor(context.getBean(RegistryAuthInterceptor.class))
						.build();
					assertThat(client.get().uri("/v2/app/tags/list").retrieve().toBodilessEntity().getStatusCode())
						.isEqualTo(HttpStatus.OK);
					assertThat(context.getBean(FetchListenerConfiguration.class).outcomes)
						.containsExactly(TokenFetchListener.Outcome.SUCCESS);
					assertThat(context.getBean(MeterRegistry.class)
						.get(TokenFetchMetrics.FETCHES)
						.tag("outcome", "success")
						.tag("operation", "pull")
						.timer()
						.count()).isOne();
				});
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void noFetchTimerWithoutAMeterRegistry() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(TokenCacheMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(RegistryAuthInterceptor.class)
				.doesNotHaveBean(TokenFetchMetrics.class));
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add(HttpHeaders.CONTENT_TYPE, "application/json");
		exchange.sendResponseHeaders(status, (bytes.length > 0) ? bytes.length : -1);
		try (OutputStream output = exchange.getResponseBody()) {
			output.write(bytes);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class RestClientBuilderConfiguration {

		volatile boolean used;

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		RestClient.Builder restClientBuilder() {
			this.used = true;
			return RestClient.builder();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FetchListenerConfiguration {

		final List<TokenFetchListener.Outcome> outcomes = new CopyOnWriteArrayList<>();

		@Bean
		TokenFetchListener recordingFetchListener() {
			return (operation, outcome, duration) -> this.outcomes.add(outcome);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserInterceptorConfiguration {

		RegistryAuthInterceptor interceptor;

		@Bean
		RegistryAuthInterceptor myInterceptor(TokenCache tokenCache, TokenEndpointClient tokenEndpointClient) {
			this.interceptor = new RegistryAuthInterceptor(tokenCache, tokenEndpointClient);
			return this.interceptor;
		}

	}

}
