package io.github.ocitokencache.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.ocitokencache.auth.RegistryAuthInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RegistryPropertiesValidator}: registry settings that could not be used
 * as written stop start-up with an analysis that names the property, the problem and what
 * is allowed, and never shows a password or an identity token.
 *
 * @author oci-token-cache team
 */
@ExtendWith(OutputCaptureExtension.class)
class RegistryPropertiesValidatorTests {

	private static final String PASSWORD = "hunter2-secret";

	private static final String IDENTITY_TOKEN = "refresh-secret";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(TokenCacheAutoConfiguration.class, RegistryAuthAutoConfiguration.class));

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					[ghcr.io].username=alice                                          | [ghcr.io].username                  | [ghcr.io].password' is missing
					[ghcr.io].username=alice;[ghcr.io].password=                      | [ghcr.io].username                  | [ghcr.io].password' is missing
					[ghcr.io].password=hunter2-secret                                 | [ghcr.io].password                  | [ghcr.io].username' is missing
					[ghcr.io].trusted-realm-hosts=https://auth.example.com/token      | [ghcr.io].trusted-realm-hosts[0]    | without a scheme, port or path
					[ghcr.io].trusted-realm-hosts=auth.example.com:8443               | [ghcr.io].trusted-realm-hosts[0]    | compared without their port
					[foo bar].username=alice;[foo bar].password=hunter2-secret        | [foo bar]                           | not a host name
					[https://ghcr.io].username=alice;[https://ghcr.io].password=hunter2-secret | [https://ghcr.io]          | URL scheme
					[ghcr.io/org].username=alice;[ghcr.io/org].password=hunter2-secret | [ghcr.io/org]                      | not per repository
					[docker.io].identity-token=refresh-secret;[index.docker.io].identity-token=refresh-secret | [index.docker.io] | same registry, docker.io
					[GHCR.io].username=alice;[GHCR.io].password=hunter2-secret;[ghcr.io].identity-token=refresh-secret | [ghcr.io] | same registry, ghcr.io
					.ghcr.io.username=alice                                           | .ghcr.io.username                   | must be written in brackets
					[ghcr.io].user=alice                                              | [ghcr.io].user                      | no such setting
					""")
	void unusableRegistrySettingStopsStartUpWithAnAnalysisThatShowsNoSecret(String properties, String property,
			String problem) {
		String name = "oci.token-cache.registries" + property;
		MapPropertySource source = new MapPropertySource("test", registries(properties));
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(source);
		this.contextRunner.withInitializer((context) -> context.getEnvironment().getPropertySources().addFirst(source))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new TokenCachePropertiesFailureAnalyzer(environment)
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("'" + name + "' (from \"")
					.contains("property source \"test\"")
					.contains(problem);
				assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain(PASSWORD, IDENTITY_TOKEN);
				for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
					assertThat(String.valueOf(cause.getMessage())).doesNotContain(PASSWORD, IDENTITY_TOKEN);
				}
			});
	}

	@Test
	void hostWithoutBracketsIsReportedWithTheBracketedSpelling() {
		this.contextRunner.withPropertyValues("oci.token-cache.registries.ghcr.io.username=alice")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidTokenCachePropertyException.class,
						(ex) -> assertThat(ex.getAction()).contains("'oci.token-cache.registries[ghcr.io].username'")
							.contains("\"[ghcr.io]\"")));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			[127.0.0.1:5000].username=alice;[127.0.0.1:5000].password=hunter2-secret
			[localhost].identity-token=refresh-secret;[localhost].username=alice
			[registry.example.com].trusted-realm-hosts=auth.example.com,127.0.0.1
			[docker.io].username=alice;[docker.io].password=hunter2-secret;[ghcr.io].identity-token=refresh-secret
			""")
	void usableRegistrySettingsStartUp(String properties) {
		this.contextRunner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("test", registries(properties))))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(RegistryAuthInterceptor.class));
	}

	@Test
	void identityTokenTakesPrecedenceAndAPasswordBesideItIsReportedAsUnused(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("oci.token-cache.registries[ghcr.io].identity-token=" + IDENTITY_TOKEN,
					"oci.token-cache.registries[ghcr.io].username=alice",
					"oci.token-cache.registries[ghcr.io].password=" + PASSWORD)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("oci.token-cache.registries[ghcr.io].password is not used")
					.doesNotContain(PASSWORD, IDENTITY_TOKEN);
			});
	}

	private static Map<String, Object> registries(String properties) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (String property : properties.split(";")) {
			int equals = property.indexOf('=');
			map.put("oci.token-cache.registries" + property.substring(0, equals), property.substring(equals + 1));
		}
		return map;
	}

}
