package io.github.ocitokencache.autoconfigure;

import java.time.Duration;
import java.time.Instant;

import io.github.ocitokencache.cache.BearerToken;
import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryOperation;
import io.github.ocitokencache.cache.TokenCache;
import io.github.ocitokencache.testsupport.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shows over HTTP, with a real web server, Actuator and the Prometheus registry, that the
 * lookup counters move as the cache is used.
 *
 * @author oci-token-cache team
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.endpoints.web.exposure.include=metrics,prometheus,ocitokencache")
class TokenCacheHttpIntegrationTests {

	private static final ImageReference IMAGE = ImageReference.parse("ghcr.io/acme/app:1.0");

	private static final String TOKEN = "http-test-secret-6b1d";

	@LocalServerPort
	private int port;

	@Autowired
	private TokenCache cache;

	@Autowired
	private MutableClock clock;

	private RestClient client;

	@BeforeEach
	void createClient() {
		this.client = RestClient.create("http://localhost:" + this.port + "/actuator");
	}

	@Test
	void lookupCountsMoveOnTheMetricsAndPrometheusEndpoints() {
		assertThat(metric("hit")).isZero();
		assertThat(metric("miss")).isZero();
		assertThat(metric("expired")).isZero();

		this.cache.get(IMAGE, RegistryOperation.PULL);
		assertThat(metric("miss")).isOne();

		this.cache.put(IMAGE, RegistryOperation.PULL, BearerToken.of(TOKEN));
		this.cache.get(IMAGE, RegistryOperation.PULL);
		this.cache.get(IMAGE, RegistryOperation.PULL);
		assertThat(metric("hit")).isEqualTo(2);

		this.clock.advance(Duration.ofMinutes(1));
		this.cache.get(IMAGE, RegistryOperation.PULL);
		assertThat(metric("expired")).isOne();

		String prometheus = this.client.get().uri("/prometheus").retrieve().body(String.class);
		assertThat(prometheus).containsPattern("(?m)^oci_token_cache_gets_total\\{[^}]*result=\"hit\"[^}]*} 2\\.0$")
			.containsPattern("(?m)^oci_token_cache_gets_total\\{[^}]*result=\"miss\"[^}]*} 1\\.0$")
			.containsPattern("(?m)^oci_token_cache_gets_total\\{[^}]*result=\"expired\"[^}]*} 1\\.0$")
			.contains("oci_token_cache_puts_total")
			.contains("oci_token_cache_evictions_total")
			.contains("oci_token_cache_size")
			.doesNotContain(TOKEN);
	}

	@Test
	void endpointListsEntriesWithoutTheTokenAndEvictsThem() {
		this.cache.put(ImageReference.parse("quay.io/acme/tool"), RegistryOperation.PUSH, BearerToken.of(TOKEN));
		String entries = this.client.get().uri("/ocitokencache").retrieve().body(String.class);
		assertThat(entries).contains("\"registry\":\"quay.io\"")
			.contains("\"repository\":\"acme/tool\"")
			.contains("\"kind\":\"bearer\"")
			.doesNotContain(TOKEN);
		HttpStatusCode status = this.client.delete()
			.uri("/ocitokencache/quay.io")
			.retrieve()
			.toBodilessEntity()
			.getStatusCode();
		assertThat(status.is2xxSuccessful()).isTrue();
		assertThat(this.cache.entries()).noneMatch((entry) -> entry.registry().equals("quay.io"));
	}

	private double metric(String result) {
		JsonNode body = this.client.get()
			.uri("/metrics/oci.token.cache.gets?tag=result:{result}&tag=operation:pull", result)
			.retrieve()
			.body(JsonNode.class);
		return body.get("measurements").get(0).get("value").asDouble();
	}

	/**
	 * Spring Security is on the test class path for the resource server tests; left
	 * active, it would secure the Actuator endpoints this test reads.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration(exclude = { SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
			ManagementWebSecurityAutoConfiguration.class })
	static class TestApplication {

		@Bean
		MutableClock clock() {
			return new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
		}

	}

}
