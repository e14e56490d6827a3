package io.github.ocitokencache.actuate.endpoint;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.github.ocitokencache.actuate.endpoint.TokenCacheEndpoint.EntryDescriptor;
import io.github.ocitokencache.cache.BasicCredentials;
import io.github.ocitokencache.cache.BearerToken;
import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryOperation;
import io.github.ocitokencache.cache.TokenCache;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link TokenCacheEndpoint}.
 *
 * @author oci-token-cache team
 */
class TokenCacheEndpointTests {

	private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

	private static final String TOKEN = "bearer-secret-3f9a";

	private static final String PASSWORD = "basic-secret-77c1";

	private final TokenCache cache = TokenCache.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

	private final TokenCacheEndpoint endpoint = new TokenCacheEndpoint(this.cache);

	@Test
	void entriesDescribeBearerAndBasicCredentials() {
		this.cache.put(ImageReference.parse("ghcr.io/acme/app"), RegistryOperation.PUSH, BearerToken.of(TOKEN));
		this.cache.put(ImageReference.parse("localhost:5000/tools"), RegistryOperation.PULL,
				new BasicCredentials("robot", PASSWORD));
		assertThat(this.endpoint.entries().entries()).containsExactly(
				new EntryDescriptor("ghcr.io", "acme/app", "push", "bearer", NOW.plusSeconds(50)),
				new EntryDescriptor("localhost:5000", "tools", "pull", "basic", null));
	}

	@Test
	void serializedEntriesContainNoSecret() {
		this.cache.put(ImageReference.parse("ghcr.io/acme/app"), RegistryOperation.PUSH,
				new BearerToken(TOKEN, "refresh-secret-0d2e", null, null));
		this.cache.put(ImageReference.parse("localhost:5000/tools"), RegistryOperation.PULL,
				new BasicCredentials("robot", PASSWORD));
		String json = JsonMapper.builder().build().writeValueAsString(this.endpoint.entries());
		assertThat(json).contains("\"registry\":\"ghcr.io\"")
			.contains("\"repository\":\"acme/app\"")
			.contains("\"operation\":\"push\"")
			.contains("\"kind\":\"bearer\"")
			.contains("\"expiresAt\":\"2025-01-01T00:00:50Z\"")
			.contains("\"kind\":\"basic\"")
			.doesNotContain(TOKEN)
			.doesNotContain("refresh-secret-0d2e")
			.doesNotContain(PASSWORD)
			.doesNotContain("robot")
			.doesNotContainIgnoringCase("authorization");
	}

	@Test
	void evictAllRemovesEveryEntry() {
		this.cache.put(ImageReference.parse("ghcr.io/acme/app"), RegistryOperation.PULL, BearerToken.of(TOKEN));
		this.cache.put(ImageReference.parse("quay.io/acme/app"), RegistryOperation.PULL, BearerToken.of(TOKEN));
		this.endpoint.evictAll();
		assertThat(this.endpoint.entries().entries()).isEmpty();
	}

	@Test
	void evictRegistryRemovesOnlyThatRegistrysEntries() {
		this.cache.put(ImageReference.parse("ghcr.io/acme/app"), RegistryOperation.PULL, BearerToken.of(TOKEN));
		this.cache.put(ImageReference.parse("quay.io/acme/app"), RegistryOperation.PULL, BearerToken.of(TOKEN));
		this.endpoint.evictRegistry("GHCR.io");
		assertThat(this.endpoint.entries().entries()).extracting(EntryDescriptor::registry).containsExactly("quay.io");
	}

	@Test
	void evictRegistryAcceptsDockerHubAliases() {
		this.cache.put(ImageReference.parse("nginx"), RegistryOperation.PULL, BearerToken.of(TOKEN));
		this.endpoint.evictRegistry("index.docker.io");
		assertThat(this.endpoint.entries().entries()).isEmpty();
	}

	@Test
	void evictRegistryRejectsAnInvalidRegistryName() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.evictRegistry("not a registry!"));
	}

}
