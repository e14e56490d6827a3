package io.github.ocitokencache.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link TokenCachePropertiesFailureAnalyzer}: every invalid token cache
 * property stops start-up with an analysis that names the property, the value, where it
 * came from and the values allowed.
 *
 * @author oci-token-cache team
 */
@ExtendWith(OutputCaptureExtension.class)
class TokenCachePropertiesFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenCacheAutoConfiguration.class));

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			default-expiration-secs | 0            | from 1 to 31536000
			default-expiration-secs | -5           | from 1 to 31536000
			default-expiration-secs | 31536001     | from 1 to 31536000
			default-expiration-secs | sixty        | from 1 to 31536000
			max-expiration-secs     | 0            | from 1 to 31536000
			max-expiration-secs     | -1           | from 1 to 31536000
			max-expiration-secs     | 1h           | from 1 to 31536000
			expiration-margin-secs  | -1           | from 0 to 31536000
			expiration-margin-secs  | ten          | from 0 to 31536000
			expiration-margin-secs  | 2.5          | from 0 to 31536000
			max-entries             | 0            | at least 1
			max-entries             | -100         | at least 1
			max-entries             | many         | at least 1
			""")
	void invalidValueStopsStartUpWithAnAnalysisNamingPropertyValueAndRange(String property, String value,
			String range) {
		String name = "oci.token-cache." + property;
		this.contextRunner.withPropertyValues(name + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyzer(name + "=" + value).analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("'" + name + "'")
				.contains("'" + value + "'")
				.contains(range)
				.contains("(from \"" + name + "\" from property source \"test\")");
			assertThat(analysis.getAction()).contains(name).contains(range);
		});
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			default-expiration-secs | 1
			max-expiration-secs     | 31536000
			expiration-margin-secs  | 0
			max-entries             | 1
			""")
	void boundaryValueIsAccepted(String property, String value) {
		this.contextRunner.withPropertyValues("oci.token-cache." + property + "=" + value)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void otherFailuresAreLeftToOtherAnalyzers() {
		assertThat(new TokenCachePropertiesFailureAnalyzer(new StandardEnvironment())
			.analyze(new IllegalStateException("unrelated"))).isNull();
	}

	@Test
	void invalidValueIsReportedOnTheConsoleWhenTheApplicationStarts(CapturedOutput output) {
		SpringApplication application = new SpringApplication(InvalidPropertyApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(java.util.Map.of("oci.token-cache.expiration-margin-secs", "soon"));
		assertThatException().isThrownBy(application::run);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("'oci.token-cache.expiration-margin-secs'")
			.contains("'soon'")
			.contains("a whole number from 0 to 31536000");
	}

	@Test
	void outOfRangeValueIsReportedOnTheConsoleWithWhereItCameFrom(CapturedOutput output) {
		SpringApplication application = new SpringApplication(InvalidPropertyApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(java.util.Map.of("oci.token-cache.max-entries", "0"));
		assertThatException().isThrownBy(application::run);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("'oci.token-cache.max-entries' (from \"oci.token-cache.max-entries\" from property source "
					+ "\"defaultProperties\")")
			.contains("a whole number of at least 1");
	}

	private static TokenCachePropertiesFailureAnalyzer analyzer(String... properties) {
		StandardEnvironment environment = new StandardEnvironment();
		TestPropertyValues.of(properties).applyTo(environment);
		return new TokenCachePropertiesFailureAnalyzer(environment);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(TokenCacheAutoConfiguration.class)
	static class InvalidPropertyApplication {

	}

}
