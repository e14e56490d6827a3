package io.github.ocitokencache.auth;

import java.net.URI;
import java.util.List;

import io.github.ocitokencache.cache.ImageReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link RealmPolicy}: Q06 and Q07 of the behaviour cases, and other inputs of
 * the same kinds.
 *
 * @author oci-token-cache team
 */
class RealmPolicyTests {

	private static final ImageReference REGISTRY_EXAMPLE = ImageReference.of("registry.example.com", "team/app");

	private final RealmPolicy policy = RealmPolicy.standard();

	@Test
	@DisplayName("Q06 credentials for registry.example.com are not sent to a realm on evil.example")
	void credentialsAreNotSentToAnotherHost() {
		assertThat(this.policy.allowsCredentials(URI.create("https://evil.example/token"), REGISTRY_EXAMPLE)).isFalse();
	}

	@ParameterizedTest(name = "Q06 kind: registry {0}, realm {1} -> credentials allowed: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			registry.example.com       | https://registry.example.com/token          | true
			registry.example.com       | https://REGISTRY.example.com:8443/token     | true
			registry.example.com:5000  | http://registry.example.com:5001/token      | true
			127.0.0.1:5000             | http://127.0.0.1:46913/token                | true
			[::1]:5000                 | http://[::1]:46913/token                    | true
			registry.example.com       | https://evil.example/token                  | false
			registry.example.com       | https://registry.example.com.evil.example/t | false
			registry.example.com       | https://auth.docker.io/token                | false
			registry.example.com       | https://example.com/token                   | false
			docker.io                  | https://auth.docker.io/token                | true
			registry-1.docker.io       | https://auth.docker.io/token                | true
			index.docker.io            | https://AUTH.DOCKER.IO/token                | true
			docker.io                  | https://registry-1.docker.io/token          | true
			docker.io                  | https://evil.example/token                  | false
			""")
	void credentialsGoOnlyToTheRegistryOrATrustedHost(String registry, String realm, boolean allowed) {
		ImageReference reference = ImageReference.of(registry, "team/app");
		assertThat(this.policy.allowsCredentials(URI.create(realm), reference)).isEqualTo(allowed);
	}

	@Test
	void configuredRealmHostIsTrustedForItsRegistryOnly() {
		RealmPolicy trusting = this.policy.trust("Registry.Example.com", List.of("Auth.Example.com"));
		assertThat(trusting.allowsCredentials(URI.create("https://auth.example.com/jwt/auth"), REGISTRY_EXAMPLE))
			.isTrue();
		assertThat(trusting.allowsCredentials(URI.create("https://auth.example.com/jwt/auth"),
				ImageReference.of("other.example.com", "team/app")))
			.isFalse();
		assertThat(trusting.trustedRealmHosts("registry.example.com")).containsExactly("auth.example.com");
		assertThat(this.policy.allowsCredentials(URI.create("https://auth.example.com/jwt/auth"), REGISTRY_EXAMPLE))
			.as("the original policy is unchanged")
			.isFalse();
	}

	@Test
	void dockerHubTrustIsBuiltIn() {
		assertThat(this.policy.trustedRealmHosts("docker.io")).containsExactly("auth.docker.io");
		assertThat(this.policy.trustedRealmHosts("registry-1.docker.io")).containsExactly("auth.docker.io");
	}

	@Test
	void untrustingPolicyTrustsOnlyTheRegistryItself() {
		RealmPolicy none = RealmPolicy.registryHostOnly();
		assertThat(none.allowsCredentials(URI.create("https://auth.docker.io/token"), ImageReference.parse("busybox")))
			.isFalse();
		assertThat(none.allowsCredentials(URI.create("https://registry.example.com/token"), REGISTRY_EXAMPLE)).isTrue();
	}

	@Test
	@DisplayName("Q07 an http realm on another host for an https registry is refused")
	void plainHttpRealmForHttpsRegistryIsRefused() {
		assertThatExceptionOfType(InsecureRealmException.class)
			.isThrownBy(() -> this.policy.requireSecureTransport(URI.create("http://auth.example.net/token"),
					URI.create("https://registry.example.com/v2/team/app/tags/list"), REGISTRY_EXAMPLE))
			.withMessageContaining("auth.example.net")
			.withMessageContaining("registry.example.com")
			.satisfies((ex) -> {
				assertThat(ex.getRealmHost()).isEqualTo("auth.example.net");
				assertThat(ex.getRegistry()).isEqualTo("registry.example.com");
			});
	}

	@ParameterizedTest(name = "Q07 kind: request {0}, realm {1} -> refused: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			https://registry.example.com/v2/   | http://registry.example.com/token  | true
			https://registry.example.com/v2/   | HTTP://auth.example.net/token      | true
			https://registry.example.com/v2/   | https://auth.example.net/token     | false
			http://127.0.0.1:5000/v2/          | http://127.0.0.1:46913/token       | false
			http://127.0.0.1:5000/v2/          | https://127.0.0.1:46913/token      | false
			""")
	void plainHttpRealmIsRefusedOnlyForHttpsRegistries(String requestUrl, String realm, boolean refused) {
		ImageReference reference = ImageReference.of(URI.create(requestUrl).getAuthority(), "team/app");
		if (refused) {
			assertThatExceptionOfType(InsecureRealmException.class).isThrownBy(
					() -> this.policy.requireSecureTransport(URI.create(realm), URI.create(requestUrl), reference));
		}
		else {
			assertThatNoException().isThrownBy(
					() -> this.policy.requireSecureTransport(URI.create(realm), URI.create(requestUrl), reference));
		}
	}

	@Test
	void trustedHostMustBeAHostName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.policy.trust("registry.example.com", List.of("https://auth.example.com/token")))
			.withMessageContaining("host");
	}

}
