package io.github.ocitokencache.auth;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.ocitokencache.cache.RegistryCredential;
import io.github.ocitokencache.cache.RegistryOperation;
import io.github.ocitokencache.cache.TokenCache;
import io.github.ocitokencache.cache.TokenCacheEntry;
import io.github.ocitokencache.cache.TokenResponseException;
import io.github.ocitokencache.cache.TokenResponseReader;
import io.github.ocitokencache.testsupport.registry.LocalRegistry;
import io.github.ocitokencache.testsupport.registry.LocalRegistryExtension;
import io.github.ocitokencache.testsupport.registry.OciImageLayout;
import io.github.ocitokencache.testsupport.registry.Skopeo;
import io.github.ocitokencache.testsupport.registry.TestTokenIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Integration tests for {@link RegistryAuthInterceptor} against a real
 * {@code docker-registry}, in token mode with {@link TestTokenIssuer} and in htpasswd
 * mode.
 *
 * @author oci-token-cache team
 */
class RegistryAuthInterceptorIntegrationTests {

	private static final String OCI_MANIFEST = OciImageLayout.MANIFEST_MEDIA_TYPE;

	@RegisterExtension
	static final LocalRegistryExtension tokenRegistry = LocalRegistryExtension
		.tokenAuth((issuer) -> issuer.user("alice", "secret").user("reader", "secret", Set.of("pull")).anonymousPull());

	@RegisterExtension
	static final LocalRegistryExtension basicRegistry = LocalRegistryExtension.htpasswd(Map.of("alice", "secret"));

	private final MutableClock clock = new MutableClock(Instant.now());

	private final TokenCache cache = TokenCache.builder().clock(this.clock).build();

	private final RecordingInterceptor exchanges = new RecordingInterceptor();

	@Test
	void pullsTagsAndManifestWithOneTokenRequestThenCacheHits(@TempDir Path directory) {
		OciImageLayout layout = seed(directory, "demo/pull");
		RestClient client = client(tokenRegistry.registry(), RegistryLogin.basic("reader", "secret"));
		ResponseEntity<String> tags = client.get().uri("/v2/demo/pull/tags/list").retrieve().toEntity(String.class);
		ResponseEntity<byte[]> manifest = getManifest(client, "demo/pull", layout.tag());
		ResponseEntity<String> tagsAgain = client.get()
			.uri("/v2/demo/pull/tags/list")
			.retrieve()
			.toEntity(String.class);
		assertThat(tags.getBody()).contains("\"1.0\"");
		assertThat(manifest.getBody()).isEqualTo(layout.manifest());
		assertThat(tagsAgain.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(tokenRegistry.issuer().requests()).singleElement().satisfies((request) -> {
			assertThat(request.user()).isEqualTo("reader");
			assertThat(request.scopes()).containsExactly("repository:demo/pull:pull");
		});
		assertThat(this.cache.statistics().hitCount(RegistryOperation.PULL)).isEqualTo(2);
		assertThat(this.cache.statistics().putCount(RegistryOperation.PULL)).isOne();
		assertThat(this.exchanges.statuses()).containsExactly(401, 200, 200, 200);
	}

	@Test
	void pushesBlobsAndManifestWithOnePushTokenThatLaterPullsReuse(@TempDir Path directory) throws IOException {
		OciImageLayout layout = OciImageLayout.create(directory.resolve("oci"));
		RestClient client = client(tokenRegistry.registry(), RegistryLogin.basic("alice", "secret"));
		pushBlob(client, "demo/push", blob(layout, layout.configDigest()), layout.configDigest());
		pushBlob(client, "demo/push", blob(layout, layout.layerDigest()), layout.layerDigest());
		ResponseEntity<Void> pushed = client.put()
			.uri("/v2/demo/push/manifests/{tag}", layout.tag())
			.contentType(MediaType.parseMediaType(OCI_MANIFEST))
			.body(layout.manifest())
			.retrieve()
			.toBodilessEntity();
		assertThat(pushed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(pushed.getHeaders().getFirst("Docker-Content-Digest")).isEqualTo(layout.manifestDigest());
		assertThat(tokenRegistry.issuer().requests()).singleElement()
			.satisfies((request) -> assertThat(request.scopes()).containsExactly("repository:demo/push:pull,push"));
		ResponseEntity<byte[]> manifest = getManifest(client, "demo/push", layout.tag());
		assertThat(manifest.getBody()).isEqualTo(layout.manifest());
		assertThat(tokenRegistry.issuer().requestCount()).isOne();
		assertThat(this.cache.statistics().hitCount(RegistryOperation.PULL)).isOne();
		assertThat(this.exchanges.statuses()).containsExactly(401, 202, 201, 202, 201, 201, 200);
	}

	@Test
	void tokenPastItsTimeIsRefetchedBeforeTheRegistrySeesIt() {
		RestClient client = client(tokenRegistry.registry(), RegistryLogin.basic("reader", "secret"));
		getTags(client, "demo/expiry");
		assertThat(tokenRegistry.issuer().requestCount()).isOne();
		this.clock.advance(TestTokenIssuer.DEFAULT_TOKEN_LIFETIME);
		this.exchanges.clear();
		getTags(client, "demo/expiry");
		assertThat(tokenRegistry.issuer().requestCount()).isEqualTo(2);
		assertThat(this.cache.statistics().expiredCount(RegistryOperation.PULL)).isOne();
		assertThat(this.exchanges.statuses()).containsExactly(404);
	}

	@Test
	void tokenRejectedAfterKeyRotationIsReplacedWithOneTokenRequest() {
		RestClient client = client(tokenRegistry.registry(), RegistryLogin.basic("reader", "secret"));
		getTags(client, "demo/rotation");
		tokenRegistry.rotateSigningKey();
		tokenRegistry.issuer().resetRequests();
		this.exchanges.clear();
		ResponseEntity<String> tags = getTags(client, "demo/rotation");
		assertThat(tags.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(tokenRegistry.issuer().requestCount()).isOne();
		assertThat(this.exchanges.statuses()).containsExactly(401, 404);
		assertThat(this.exchanges.challenges()).singleElement()
			.satisfies((challenge) -> assertThat(challenge).contains("error=\"invalid_token\""));
	}

	@Test
	void fiftyConcurrentColdPullsMakeOneTokenRequest() throws Exception {
		RestClient client = client(tokenRegistry.registry(), RegistryLogin.basic("reader", "secret"));
		int pulls = 50;
		ExecutorService executor = Executors.newFixedThreadPool(pulls);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<ResponseEntity<String>>> results = new CopyOnWriteArrayList<>();
			for (int i = 0; i < pulls; i++) {
				results.add(executor.submit(() -> {
					start.await();
					return getTags(client, "demo/concurrent");
				}));
			}
			start.countDown();
			for (Future<ResponseEntity<String>> result : results) {
				assertThat(result.get(30, TimeUnit.SECONDS).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(tokenRegistry.issuer().requestCount()).isOne();
		assertThat(this.cache.statistics().putCount(RegistryOperation.PULL)).isOne();
	}

	@Test
	void realmOnAHostThePolicyDoesNotTrustReceivesNoCredentials() {
		LocalRegistry registry = tokenRegistry.registry();
		String localhost = "localhost:" + registry.port();
		RestClient client = client(URI.create("http://" + localhost), localhost,
				RegistryLogin.basic("alice", "secret"));
		ResponseEntity<String> tags = getTags(client, "demo/untrusted");
		assertThat(tags.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(tokenRegistry.issuer().requests()).singleElement().satisfies((request) -> {
			assertThat(request.authorizationPresent()).isFalse();
			assertThat(request.user()).isNull();
		});
	}

	@Test
	void refusedTokenRequestThrowsWithStatusAndCachesNothing() {
		RestClient client = client(tokenRegistry.registry(), RegistryLogin.basic("alice", "wrong-password"));
		assertThatExceptionOfType(TokenResponseException.class).isThrownBy(() -> getTags(client, "demo/refused"))
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(401))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("wrong-password")
				.doesNotContain(base64("alice:wrong-password")));
		assertThat(tokenRegistry.issuer().requests()).singleElement()
			.satisfies((request) -> assertThat(request.status()).isEqualTo(401));
		assertThat(this.cache.entries()).isEmpty();
	}

	@Test
	void basicChallengeIsAnsweredOnceWithConfiguredCredentialsThatNeverExpire() {
		RestClient client = client(basicRegistry.registry(), RegistryLogin.basic("alice", "secret"));
		getTags(client, "demo/basic");
		getTags(client, "demo/other");
		this.clock.advance(Duration.ofDays(365));
		getTags(client, "demo/basic");
		assertThat(this.exchanges.statuses()).containsExactly(401, 404, 404, 404);
		assertThat(this.cache.entries()).hasSize(2).allSatisfy((entry) -> {
			assertThat(entry.kind()).isEqualTo(RegistryCredential.Kind.BASIC);
			assertThat(entry.expiresAt()).isNull();
		});
		assertThat(this.cache.entries()).extracting(TokenCacheEntry::repository)
			.containsExactly("demo/basic", "demo/other");
	}

	@Test
	void imageSeededWithSkopeoIsReadBackWithEqualDigests(@TempDir Path directory) throws IOException {
		OciImageLayout layout = seed(directory, "demo/seeded");
		RestClient client = client(tokenRegistry.registry(), RegistryLogin.basic("reader", "secret"));
		ResponseEntity<byte[]> manifest = getManifest(client, "demo/seeded", layout.tag());
		assertThat(manifest.getHeaders().getFirst("Docker-Content-Digest")).isEqualTo(layout.manifestDigest());
		assertThat(sha256(manifest.getBody())).isEqualTo(layout.manifestDigest());
		byte[] layer = client.get()
			.uri("/v2/demo/seeded/blobs/{digest}", layout.layerDigest())
			.retrieve()
			.body(byte[].class);
		assertThat(sha256(layer)).isEqualTo(layout.layerDigest());
		assertThat(layer).isEqualTo(blob(layout, layout.layerDigest()));
		assertThat(tokenRegistry.issuer().requestCount()).isOne();
	}

	private OciImageLayout seed(Path directory, String repository) {
		OciImageLayout layout = OciImageLayout.create(directory.resolve("oci"));
		Skopeo.copy(layout, tokenRegistry.registry(), repository, "alice", "secret");
		tokenRegistry.issuer().resetRequests();
		return layout;
	}

	private RestClient client(LocalRegistry registry, RegistryLogin login) {
		return client(registry.baseUrl(), registry.hostAndPort(), login);
	}

	private RestClient client(URI baseUrl, String registry, RegistryLogin login) {
		TokenEndpointClient tokenEndpointClient = new TokenEndpointClient(RestClient.builder(), RealmPolicy.standard(),
				new TokenResponseReader(), Duration.ofSeconds(5), Duration.ofSeconds(10));
		RegistryAuthInterceptor interceptor = RegistryAuthInterceptor.builder(this.cache, tokenEndpointClient)
			.login(registry, login)
			.build();
		return RestClient.builder()
			.baseUrl(baseUrl.toString())
			.requestFactory(new JdkClientHttpRequestFactory())
			.requestInterceptor(interceptor)
			.requestInterceptor(this.exchanges)
			.defaultStatusHandler((status) -> status.value() == 404, (request, response) -> {
			})
			.build();
	}

	private static ResponseEntity<String> getTags(RestClient client, String repository) {
		return client.get().uri("/v2/" + repository + "/tags/list").retrieve().toEntity(String.class);
	}

	private static ResponseEntity<byte[]> getManifest(RestClient client, String repository, String tag) {
		return client.get()
			.uri("/v2/" + repository + "/manifests/{tag}", tag)
			.accept(MediaType.parseMediaType(OCI_MANIFEST))
			.retrieve()
			.toEntity(byte[].class);
	}

	private static void pushBlob(RestClient client, String repository, byte[] content, String digest) {
		ResponseEntity<Void> started = client.post()
			.uri("/v2/" + repository + "/blobs/uploads/")
			.retrieve()
			.toBodilessEntity();
		assertThat(started.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		URI location = started.getHeaders().getLocation();
		assertThat(location).isNotNull();
		assertThat(location.isAbsolute()).isTrue();
		String separator = (location.getRawQuery() != null) ? "&" : "?";
		ResponseEntity<Void> uploaded = client.put()
			.uri(URI.create(location + separator + "digest=" + digest))
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(content)
			.retrieve()
			.toBodilessEntity();
		assertThat(uploaded.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(uploaded.getHeaders().getFirst("Docker-Content-Digest")).isEqualTo(digest);
	}

	private static byte[] blob(OciImageLayout layout, String digest) throws IOException {
		return Files.readAllBytes(layout.directory().resolve("blobs/sha256").resolve(digest.substring(7)));
	}

	private static String sha256(byte[] content) {
		try {
			return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Sits behind the interceptor under test and records every exchange that really
	 * reaches the registry.
	 */
	private static final class RecordingInterceptor implements ClientHttpRequestInterceptor {

		private final List<Integer> statuses = new CopyOnWriteArrayList<>();

		private final List<String> challenges = new CopyOnWriteArrayList<>();

		@Override
		public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
				throws IOException {
			ClientHttpResponse response = execution.execute(request, body);
			this.statuses.add(response.getStatusCode().value());
			String challenge = response.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE);
			if (challenge != null) {
				this.challenges.add(challenge);
			}
			return response;
		}

		List<Integer> statuses() {
			return List.copyOf(this.statuses);
		}

		List<String> challenges() {
			return List.copyOf(this.challenges);
		}

		void clear() {
			this.statuses.clear();
			this.challenges.clear();
		}

	}

}
