package io.github.ocitokencache.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.github.ocitokencache.cache.BearerToken;
import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryOperation;
import io.github.ocitokencache.cache.TokenCache;
import io.github.ocitokencache.cache.TokenClaimsReader;
import io.github.ocitokencache.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TokenCacheAutoConfiguration}.
 *
 * @author oci-token-cache team
 */
class TokenCacheAutoConfigurationTests {

	private static final ImageReference IMAGE = ImageReference.parse("ghcr.io/acme/app:1.0");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenCacheAutoConfiguration.class));

	@Test
	void registersTokenCacheClaimsReaderAndPropertiesByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(TokenCache.class)
			.hasSingleBean(TokenClaimsReader.class)
			.hasSingleBean(TokenCacheProperties.class));
	}

	@Test
	void registersNoJwtDecoder() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(JwtDecoder.class));
	}

	@Test
	void applicationJwtDecoderCoexistsWithTheClaimsReader() {
		this.contextRunner.withUserConfiguration(JwtDecoderConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(JwtDecoder.class).hasSingleBean(TokenClaimsReader.class);
			assertThat(context.getBean(JwtDecoder.class)).isSameAs(JwtDecoderConfiguration.DECODER);
		});
	}

	@Test
	void applicationTokenCacheWins() {
		this.contextRunner.withUserConfiguration(TokenCacheConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(TokenCache.class);
			assertThat(context.getBean(TokenCache.class)).isSameAs(TokenCacheConfiguration.CACHE);
		});
	}

	@Test
	void applicationClaimsReaderIsUsedByTheCache() {
		this.contextRunner.withUserConfiguration(ClaimsReaderConfiguration.class, ClockConfiguration.class)
			.withPropertyValues("oci.token-cache.expiration-margin-secs=0")
			.run((context) -> {
				assertThat(context).hasSingleBean(TokenClaimsReader.class);
				TokenCache cache = context.getBean(TokenCache.class);
				MutableClock clock = context.getBean(MutableClock.class);
				cache.put(IMAGE, RegistryOperation.PULL, BearerToken.of("header.payload.signature"));
				clock.advance(Duration.ofSeconds(4));
				assertThat(cache.get(IMAGE, RegistryOperation.PULL)).isNotNull();
				clock.advance(Duration.ofSeconds(1));
				assertThat(cache.get(IMAGE, RegistryOperation.PULL)).isNull();
			});
	}

	@Test
	void disabledStarterRegistersNothing() {
		this.contextRunner.withPropertyValues("oci.token-cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TokenCache.class)
				.doesNotHaveBean(TokenClaimsReader.class)
				.doesNotHaveBean(TokenCacheProperties.class));
	}

	@Test
	void propertiesHaveDocumentedDefaults() {
		this.contextRunner.run((context) -> {
			TokenCacheProperties properties = context.getBean(TokenCacheProperties.class);
			assertThat(properties.isEnabled()).isTrue();
			assertThat(properties.getDefaultExpirationSecs()).isEqualTo(60);
			assertThat(properties.getMaxExpirationSecs()).isEqualTo(3600);
			assertThat(properties.getExpirationMarginSecs()).isEqualTo(10);
			assertThat(properties.getMaxEntries()).isEqualTo(10000);
			assertThat(properties.getRegistries()).isEmpty();
		});
	}

	@Test
	void bindsEveryProperty() {
		this.contextRunner
			.withPropertyValues("oci.token-cache.enabled=true", "oci.token-cache.default-expiration-secs=120",
					"oci.token-cache.max-expiration-secs=600", "oci.token-cache.expiration-margin-secs=0",
					"oci.token-cache.max-entries=5", "oci.token-cache.registries[ghcr.io].username=robot",
					"oci.token-cache.registries[ghcr.io].password=hunter2",
					"oci.token-cache.registries[ghcr.io].identity-token=refresh-secret",
					"oci.token-cache.registries[ghcr.io].trusted-realm-hosts=auth.ghcr.io,login.example.com")
			.run((context) -> {
				TokenCacheProperties properties = context.getBean(TokenCacheProperties.class);
				assertThat(properties.getDefaultExpirationSecs()).isEqualTo(120);
				assertThat(properties.getMaxExpirationSecs()).isEqualTo(600);
				assertThat(properties.getExpirationMarginSecs()).isZero();
				assertThat(properties.getMaxEntries()).isEqualTo(5);
				TokenCacheProperties.Registry registry = properties.getRegistries().get("ghcr.io");
				assertThat(registry.getUsername()).isEqualTo("robot");
				assertThat(registry.getPassword()).isEqualTo("hunter2");
				assertThat(registry.getIdentityToken()).isEqualTo("refresh-secret");
				assertThat(registry.getTrustedRealmHosts()).containsExactly("auth.ghcr.io", "login.example.com");
			});
	}

	@Test
	void registryCredentialsNeverShowTheirSecretsInToString() {
		TokenCacheProperties.Registry registry = new TokenCacheProperties.Registry();
		registry.setUsername("robot");
		registry.setPassword("hunter2");
		registry.setIdentityToken("refresh-secret");
		assertThat(registry.toString()).contains("robot").doesNotContain("hunter2").doesNotContain("refresh-secret");
	}

	@Test
	void cacheKeepsAnUndatedTokenForTheDefaultExpiration() {
		this.contextRunner.withUserConfiguration(ClockConfiguration.class)
			.withPropertyValues("oci.token-cache.default-expiration-secs=120",
					"oci.token-cache.expiration-margin-secs=0")
			.run((context) -> {
				TokenCache cache = context.getBean(TokenCache.class);
				MutableClock clock = context.getBean(MutableClock.class);
				cache.put(IMAGE, RegistryOperation.PULL, BearerToken.of("opaque"));
				clock.advance(Duration.ofSeconds(119));
				assertThat(cache.get(IMAGE, RegistryOperation.PULL)).isNotNull();
				clock.advance(Duration.ofSeconds(1));
				assertThat(cache.get(IMAGE, RegistryOperation.PULL)).isNull();
			});
	}

	@Test
	void cacheCapsAnnouncedLifetimesAtTheMaxExpiration() {
		this.contextRunner.withUserConfiguration(ClockConfiguration.class)
			.withPropertyValues("oci.token-cache.max-expiration-secs=300", "oci.token-cache.expiration-margin-secs=0")
			.run((context) -> {
				TokenCache cache = context.getBean(TokenCache.class);
				MutableClock clock = context.getBean(MutableClock.class);
				cache.put(IMAGE, RegistryOperation.PULL, new BearerToken("opaque", null, Duration.ofHours(2), null));
				clock.advance(Duration.ofSeconds(299));
				assertThat(cache.get(IMAGE, RegistryOperation.PULL)).isNotNull();
				clock.advance(Duration.ofSeconds(1));
				assertThat(cache.get(IMAGE, RegistryOperation.PULL)).isNull();
			});
	}

	@Test
	void cacheStopsHandingOutATokenTheExpirationMarginBeforeItExpires() {
		this.contextRunner.withUserConfiguration(ClockConfiguration.class)
			.withPropertyValues("oci.token-cache.expiration-margin-secs=30")
			.run((context) -> {
				TokenCache cache = context.getBean(TokenCache.class);
				MutableClock clock = context.getBean(MutableClock.class);
				cache.put(IMAGE, RegistryOperation.PULL,
						new BearerToken("opaque", null, Duration.ofSeconds(300), null));
				clock.advance(Duration.ofSeconds(269));
				assertThat(cache.get(IMAGE, RegistryOperation.PULL)).isNotNull();
				clock.advance(Duration.ofSeconds(1));
				assertThat(cache.get(IMAGE, RegistryOperation.PULL)).isNull();
			});
	}

	@Test
	void cacheKeepsNoMoreThanMaxEntries() {
		this.contextRunner.withPropertyValues("oci.token-cache.max-entries=1").run((context) -> {
			TokenCache cache = context.getBean(TokenCache.class);
			cache.put(IMAGE, RegistryOperation.PULL, BearerToken.of("first"));
			cache.put(ImageReference.parse("ghcr.io/acme/other"), RegistryOperation.PULL, BearerToken.of("second"));
			assertThat(cache.size()).isEqualTo(1);
			assertThat(cache.statistics().evictionCount()).isEqualTo(1);
		});
	}

	@Test
	void cacheUsesSystemClockWhenTheApplicationHasNone() {
		this.contextRunner.run((context) -> {
			TokenCache cache = context.getBean(TokenCache.class);
			Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			cache.put(IMAGE, RegistryOperation.PULL, BearerToken.of("opaque"));
			assertThat(cache.entries()).singleElement()
				.satisfies((entry) -> assertThat(entry.expiresAt()).isBetween(before.plusSeconds(50),
						Instant.now().plusSeconds(50)));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class JwtDecoderConfiguration {

		static final JwtDecoder DECODER = (token) -> Jwt.withTokenValue(token).header("alg", "RS256").build();

		@Bean
		JwtDecoder applicationJwtDecoder() {
			return DECODER;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TokenCacheConfiguration {

		static final TokenCache CACHE = TokenCache.builder().build();

		@Bean
		TokenCache applicationTokenCache() {
			return CACHE;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClaimsReaderConfiguration {

		@Bean
		TokenClaimsReader applicationClaimsReader(Clock clock) {
			return new TokenClaimsReader((token) -> Jwt.withTokenValue(token)
				.header("alg", "none")
				.claim("iat", clock.instant())
				.claim("exp", clock.instant().plusSeconds(5))
				.build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClockConfiguration {

		@Bean
		MutableClock clock() {
			return new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
		}

	}

}
