package io.github.ocitokencache.testsupport.registry;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link LocalRegistry}, {@link LocalRegistryExtension} and {@link Skopeo}
 * against a real {@code docker-registry} process.
 *
 * @author oci-token-cache team
 */
class LocalRegistryTests {

	private static final String PULL_SCOPE = "repository:demo/app:pull";

	@RegisterExtension
	static final LocalRegistryExtension tokenRegistry = LocalRegistryExtension
		.tokenAuth((issuer) -> issuer.user("alice", "secret").user("reader", "secret", Set.of("pull")));

	@RegisterExtension
	static final LocalRegistryExtension basicRegistry = LocalRegistryExtension.htpasswd(Map.of("alice", "secret"));

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void tokenRegistryChallengesWithRealmServiceAndScope() throws Exception {
		HttpResponse<String> response = get(tokenRegistry.registry(), "/v2/demo/app/tags/list", null);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Www-Authenticate")).hasValue("Bearer realm=\""
				+ tokenRegistry.issuer().realm() + "\",service=\"test-registry\",scope=\"" + PULL_SCOPE + "\"");
	}

	@Test
	void tokenFromIssuerIsAcceptedWithOneTokenRequest() throws Exception {
		String token = requestToken("alice", PULL_SCOPE);
		HttpResponse<String> response = get(tokenRegistry.registry(), "/v2/demo/app/tags/list", "Bearer " + token);
		assertThat(response.statusCode()).isIn(200, 404);
		assertThat(tokenRegistry.issuer().requestCount()).isOne();
		assertThat(tokenRegistry.issuer().requests()).singleElement()
			.satisfies((request) -> assertThat(request.scopes()).containsExactly(PULL_SCOPE))
			.satisfies((request) -> assertThat(request.user()).isEqualTo("alice"));
	}

	@Test
	void tokenForAnotherRepositoryIsInsufficientScope() throws Exception {
		String token = requestToken("alice", "repository:other/app:pull");
		HttpResponse<String> response = get(tokenRegistry.registry(), "/v2/demo/app/tags/list", "Bearer " + token);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Www-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).endsWith(",error=\"insufficient_scope\""));
	}

	@Test
	void tokenSignedWithOldKeyIsInvalidAfterKeyRotation() throws Exception {
		LocalRegistry registry = tokenRegistry.registry();
		URI baseUrl = registry.baseUrl();
		String oldToken = requestToken("alice", PULL_SCOPE);
		assertThat(get(registry, "/v2/demo/app/tags/list", "Bearer " + oldToken).statusCode()).isIn(200, 404);
		SigningKey newKey = tokenRegistry.rotateSigningKey();
		assertThat(registry.baseUrl()).isEqualTo(baseUrl);
		assertThat(registry.trustedKeys()).containsExactly(newKey);
		HttpResponse<String> rejected = get(registry, "/v2/demo/app/tags/list", "Bearer " + oldToken);
		assertThat(rejected.statusCode()).isEqualTo(401);
		assertThat(rejected.headers().firstValue("Www-Authenticate"))
			.hasValue("Bearer realm=\"" + tokenRegistry.issuer().realm() + "\",service=\"test-registry\",scope=\""
					+ PULL_SCOPE + "\",error=\"invalid_token\"");
		String newToken = requestToken("alice", PULL_SCOPE);
		assertThat(get(registry, "/v2/demo/app/tags/list", "Bearer " + newToken).statusCode()).isIn(200, 404);
	}

	@Test
	void skopeoSeedsHandMadeImageThroughTheIssuer(@TempDir Path directory) throws Exception {
		OciImageLayout layout = OciImageLayout.create(directory.resolve("oci"));
		LocalRegistry registry = tokenRegistry.registry();
		Skopeo.copy(layout, registry, "demo/app", "alice", "secret");
		assertThat(tokenRegistry.issuer().requests()).isNotEmpty().allSatisfy((request) -> {
			assertThat(request.authorizationPresent()).isTrue();
			assertThat(request.user()).isEqualTo("alice");
			assertThat(request.status()).isEqualTo(200);
		});
		String pullToken = requestToken("reader", PULL_SCOPE);
		HttpResponse<byte[]> manifest = this.http
			.send(HttpRequest.newBuilder(registry.baseUrl().resolve("/v2/demo/app/manifests/1.0"))
				.header("Accept", OciImageLayout.MANIFEST_MEDIA_TYPE)
				.header("Authorization", "Bearer " + pullToken)
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(manifest.statusCode()).isEqualTo(200);
		assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(layout.manifestDigest());
		assertThat(manifest.body()).isEqualTo(layout.manifest());
		assertThat(Skopeo.inspectDigest(registry, "demo/app", "1.0", "reader", "secret"))
			.isEqualTo(layout.manifestDigest());
	}

	@Test
	void skopeoFailureNamesTheCauseButNotThePassword(@TempDir Path directory) {
		OciImageLayout layout = OciImageLayout.create(directory.resolve("oci"));
		assertThatIllegalStateException()
			.isThrownBy(() -> Skopeo.copy(layout, tokenRegistry.registry(), "demo/denied", "alice", "wrong-password"))
			.withMessageContaining("skopeo copy")
			.withMessageContaining("unauthorized")
			.withMessageNotContaining("wrong-password");
	}

	@Test
	void htpasswdRegistryChallengesWithBasicRealm() throws Exception {
		HttpResponse<String> response = get(basicRegistry.registry(), "/v2/", null);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Www-Authenticate")).hasValue("Basic realm=\"local-registry\"");
		assertThat(get(basicRegistry.registry(), "/v2/", basic("alice", "wrong")).statusCode()).isEqualTo(401);
	}

	@Test
	void htpasswdRegistryAcceptsBcryptCredentials() throws Exception {
		assertThat(get(basicRegistry.registry(), "/v2/", basic("alice", "secret")).statusCode()).isEqualTo(200);
	}

	@Test
	void closeStopsTheProcessAndDeletesItsDirectory() throws Exception {
		LocalRegistry registry = LocalRegistry.startWithHtpasswd(Map.of("bob", "secret"));
		Path logFile = registry.logFile();
		assertThat(logFile).exists();
		registry.close();
		assertThat(logFile.getParent()).doesNotExist();
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> get(registry, "/v2/", null));
	}

	@Test
	void startFailureReportsTheTailOfTheRegistryLog() {
		Map<String, String> missingBundle = Map.of("REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE", "/nonexistent/bundle.pem");
		assertThatIllegalStateException()
			.isThrownBy(() -> LocalRegistry.startWithTokenAuth(tokenRegistry.issuer(), missingBundle))
			.withMessageStartingWith("docker-registry exited with code 2 before it became ready")
			.withMessageContaining("unable to open token auth root certificate bundle file");
	}

	private String requestToken(String user, String scope) throws Exception {
		URI uri = URI.create(tokenRegistry.issuer().realm() + "?service=test-registry&scope=" + scope);
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(uri).header("Authorization", basic(user, "secret")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return json.readTree(response.body()).get("token").asString();
	}

	private HttpResponse<String> get(LocalRegistry registry, String path, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(registry.baseUrl().resolve(path));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
