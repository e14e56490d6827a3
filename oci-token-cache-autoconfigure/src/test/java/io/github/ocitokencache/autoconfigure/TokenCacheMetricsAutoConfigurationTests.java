package io.github.ocitokencache.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.ocitokencache.cache.BasicCredentials;
import io.github.ocitokencache.cache.BearerToken;
import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryOperation;
import io.github.ocitokencache.cache.TokenCache;
import io.github.ocitokencache.metrics.TokenCacheMetrics;
import io.github.ocitokencache.metrics.TokenFetchMetrics;
import io.github.ocitokencache.testsupport.MutableClock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TokenCacheMetricsAutoConfiguration} and the meters of
 * {@link TokenCacheMetrics}.
 *
 * @author oci-token-cache team
 */
class TokenCacheMetricsAutoConfigurationTests {

	private static final ImageReference IMAGE = ImageReference.parse("ghcr.io/acme/app:1.0");

	private static final String SECRET = "secret-token-text";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenCacheAutoConfiguration.class,
				TokenCacheMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
		.withUserConfiguration(ClockConfiguration.class);

	@Test
	void registersMeterBinderWhenThereIsAMeterRegistry() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(TokenCacheMetrics.class));
	}

	@Test
	void registersNoMeterBinderWithoutAMeterRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TokenCacheAutoConfiguration.class, TokenCacheMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(TokenCache.class)
				.doesNotHaveBean(MeterRegistry.class)
				.doesNotHaveBean(TokenCacheMetrics.class));
	}

	@Test
	void registersNoMeterBinderWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).hasSingleBean(TokenCache.class)
				.doesNotHaveBean(TokenCacheMetrics.class));
	}

	@Test
	void registersNoMeterBinderWhenTheStarterIsDisabled() {
		this.contextRunner.withPropertyValues("oci.token-cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TokenCacheMetrics.class));
	}

	@Test
	void lookupsAreCountedAsMissHitAndExpired() {
		this.contextRunner.run((context) -> {
			TokenCache cache = context.getBean(TokenCache.class);
			MutableClock clock = context.getBean(MutableClock.class);
			assertThat(gets(context, "miss", "pull")).isZero();
			assertThat(cache.get(IMAGE, RegistryOperation.PULL)).isNull();
			assertThat(gets(context, "miss", "pull")).isOne();
			cache.put(IMAGE, RegistryOperation.PULL, BearerToken.of(SECRET));
			assertThat(cache.get(IMAGE, RegistryOperation.PULL)).isNotNull();
			assertThat(gets(context, "hit", "pull")).isOne();
			clock.advance(Duration.ofSeconds(60));
			assertThat(cache.get(IMAGE, RegistryOperation.PULL)).isNull();
			assertThat(gets(context, "expired", "pull")).isOne();
			assertThat(gets(context, "hit", "pull")).isOne();
			assertThat(gets(context, "miss", "pull")).isOne();
		});
	}

	@Test
	void lookupsAreTaggedWithTheOperationAskedFor() {
		this.contextRunner.run((context) -> {
			TokenCache cache = context.getBean(TokenCache.class);
			cache.put(IMAGE, RegistryOperation.PUSH, BearerToken.of(SECRET));
			cache.get(IMAGE, RegistryOperation.PUSH);
			cache.get(ImageReference.parse("ghcr.io/acme/other"), RegistryOperation.PULL);
			assertThat(gets(context, "hit", "push")).isOne();
			assertThat(gets(context, "hit", "pull")).isZero();
			assertThat(gets(context, "miss", "pull")).isOne();
			assertThat(gets(context, "miss", "push")).isZero();
		});
	}

	@Test
	void pullServedByAPushTokenIsCountedAsAPullHit() {
		this.contextRunner.run((context) -> {
			TokenCache cache = context.getBean(TokenCache.class);
			cache.put(IMAGE, RegistryOperation.PUSH, BearerToken.of(SECRET));
			cache.get(IMAGE, RegistryOperation.PULL);
			assertThat(gets(context, "hit", "pull")).isOne();
			assertThat(gets(context, "hit", "push")).isZero();
		});
	}

	@Test
	void putsAreCountedPerOperation() {
		this.contextRunner.run((context) -> {
			TokenCache cache = context.getBean(TokenCache.class);
			cache.put(IMAGE, RegistryOperation.PULL, BearerToken.of(SECRET));
			cache.get(IMAGE, RegistryOperation.PUSH, () -> new BasicCredentials("robot", SECRET));
			assertThat(counter(context, "oci.token.cache.puts", "operation", "pull")).isOne();
			assertThat(counter(context, "oci.token.cache.puts", "operation", "push")).isOne();
		});
	}

	@Test
	void evictionsAndSizeFollowTheSizeBound() {
		this.contextRunner.withPropertyValues("oci.token-cache.max-entries=1").run((context) -> {
			TokenCache cache = context.getBean(TokenCache.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("oci.token.cache.size").gauge().value()).isZero();
			cache.put(IMAGE, RegistryOperation.PULL, BearerToken.of(SECRET));
			assertThat(registry.get("oci.token.cache.size").gauge().value()).isOne();
			cache.put(ImageReference.parse("ghcr.io/acme/other"), RegistryOperation.PULL, BearerToken.of(SECRET));
			assertThat(registry.get("oci.token.cache.evictions").functionCounter().count()).isOne();
			assertThat(registry.get("oci.token.cache.size").gauge().value()).isOne();
		});
	}

	@Test
	void everyMeterHasADescriptionAndOnlyFixedTagValues() {
		this.contextRunner.run((context) -> {
			TokenCache cache = context.getBean(TokenCache.class);
			cache.put(IMAGE, RegistryOperation.PULL, BearerToken.of(SECRET));
			cache.get(IMAGE, RegistryOperation.PULL);
			Set<Meter> meters = meters(context);
			assertThat(meters).hasSize(10 + 9);
			assertThat(meters).allSatisfy((meter) -> assertThat(meter.getId().getDescription()).isNotBlank());
			Set<String> tagValues = meters.stream()
				.flatMap((meter) -> meter.getId().getTags().stream())
				.map(Tag::getValue)
				.collect(Collectors.toSet());
			assertThat(tagValues).containsExactlyInAnyOrder("hit", "miss", "expired", "pull", "push", "success",
					"refused", "error", "other");
		});
	}

	@Test
	void everyMeterNameHasOneDescriptionThatCoversAllItsTagValues() {
		this.contextRunner.run((context) -> {
			Map<String, Set<String>> descriptions = meters(context).stream()
				.collect(Collectors.groupingBy((meter) -> meter.getId().getName(),
						Collectors.mapping((meter) -> meter.getId().getDescription(), Collectors.toSet())));
			assertThat(descriptions).allSatisfy((name, ofName) -> assertThat(ofName).as(name).hasSize(1));
			assertThat(descriptions.get("oci.token.cache.gets")).singleElement()
				.asString()
				.contains("hit", "miss", "expired", "operation");
			assertThat(descriptions.get("oci.token.cache.puts")).singleElement().asString().contains("operation");
			assertThat(descriptions.get(TokenFetchMetrics.FETCHES)).singleElement()
				.asString()
				.contains("success", "refused", "error", "pull", "push", "other");
		});
	}

	@Test
	void metricsAreSwitchedOffWithSpringBootsEnableProperty() {
		this.contextRunner.withPropertyValues("management.metrics.enable.oci.token.cache=false").run((context) -> {
			assertThat(context).hasSingleBean(TokenCacheMetrics.class);
			assertThat(meters(context)).isEmpty();
		});
	}

	private static Set<Meter> meters(AssertableApplicationContext context) {
		return context.getBean(MeterRegistry.class)
			.getMeters()
			.stream()
			.filter((meter) -> meter.getId().getName().startsWith(TokenCacheMetrics.PREFIX + "."))
			.collect(Collectors.toSet());
	}

	private static double gets(AssertableApplicationContext context, String result, String operation) {
		FunctionCounter counter = context.getBean(MeterRegistry.class)
			.get("oci.token.cache.gets")
			.tag("result", result)
			.tag("operation", operation)
			.functionCounter();
		return counter.count();
	}

	private static double counter(AssertableApplicationContext context, String name, String tag, String value) {
		return context.getBean(MeterRegistry.class).get(name).tag(tag, value).functionCounter().count();
	}

	@Configuration(proxyBeanMethods = false)
	static class ClockConfiguration {

		@Bean
		MutableClock clock() {
			return new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
		}

	}

}
