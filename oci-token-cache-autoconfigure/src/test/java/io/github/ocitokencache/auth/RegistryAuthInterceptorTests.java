package io.github.ocitokencache.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.ocitokencache.cache.BasicCredentials;
import io.github.ocitokencache.cache.BearerToken;
import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryCredential;
import io.github.ocitokencache.cache.RegistryOperation;
import io.github.ocitokencache.cache.TokenCache;
import io.github.ocitokencache.cache.TokenResponseException;
import io.github.ocitokencache.cache.TokenResponseReader;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RegistryAuthInterceptor} against a scripted registry on a local
 * {@link HttpServer}: what is sent, when a challenge is answered, and that it is answered
 * at most once.
 *
 * @author oci-token-cache team
 */
class RegistryAuthInterceptorTests {

	private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

	private final List<String> tokenRequests = new CopyOnWriteArrayList<>();

	private final AtomicInteger tokens = new AtomicInteger();

	private final List<TokenFetchListener.Outcome> outcomes = new CopyOnWriteArrayList<>();

	private final TokenCache cache = TokenCache.builder().build();

	private volatile int tokenStatus = 200;

	private volatile Function<Exchange, Answer> registry = (exchange) -> new Answer(200, Map.of());

	private HttpServer server;

	private HttpServer storage;

	private final List<@Nullable String> storageAuthorizations = new CopyOnWriteArrayList<>();

	private RestClient client;

	@BeforeEach
	void startServers() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/token", this::token);
		this.server.createContext("/", this::registry);
		this.server.start();
		this.storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.storage.createContext("/", (exchange) -> {
			this.storageAuthorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
			respond(exchange, 200, Map.of(), "blob-bytes");
		});
		this.storage.start();
		this.client = client(RegistryLogin.basic("alice", "secret"));
	}

	@AfterEach
	void stopServers() {
		this.server.stop(0);
		this.storage.stop(0);
	}

	@Test
	void bodyIsSentAgainUnchangedOnTheRetry() {
		this.registry = (exchange) -> authorized(exchange, "Bearer t1") ? new Answer(201, Map.of())
				: bearerChallenge("repository:app:pull,push", null);
		ResponseEntity<Void> response = this.client.put()
			.uri("/v2/app/blobs/uploads/0f2c?digest=sha256:abc")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body("layer-bytes".getBytes(StandardCharsets.UTF_8))
			.retrieve()
			.toBodilessEntity();
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(this.exchanges).hasSize(2).allSatisfy((exchange) -> {
			assertThat(exchange.body()).isEqualTo("layer-bytes");
			assertThat(exchange.contentType()).isEqualTo("application/octet-stream");
			assertThat(exchange.query()).isEqualTo("digest=sha256:abc");
		});
		assertThat(this.exchanges).extracting(Exchange::authorization).containsExactly(null, "Bearer t1");
		assertThat(this.tokenRequests).singleElement().asString().contains("scope=repository%3Aapp%3Apull%2Cpush");
	}

	@Test
	void challengeIsAnsweredOnceAndASecondRefusalIsReturned() {
		this.registry = (exchange) -> bearerChallenge("repository:app:pull", null);
		assertThat(getTags("app").getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.exchanges).extracting(Exchange::authorization).containsExactly(null, "Bearer t1");
		assertThat(this.tokenRequests).hasSize(1);
	}

	@Test
	void invalidTokenIsInvalidatedAndReplacedWithExactlyOneNewToken() {
		ImageReference reference = ImageReference.of(registryHost(), "app");
		this.cache.put(reference, RegistryOperation.PULL, BearerToken.of("stale"));
		this.registry = (exchange) -> authorized(exchange, "Bearer t1") ? new Answer(200, Map.of())
				: bearerChallenge("repository:app:pull", "invalid_token");
		assertThat(getTags("app").getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.exchanges).extracting(Exchange::authorization).containsExactly("Bearer stale", "Bearer t1");
		assertThat(this.tokenRequests).hasSize(1);
		assertThat(this.cache.get(reference, RegistryOperation.PULL)).extracting(RegistryCredential::authorization)
			.isEqualTo("Bearer t1");
	}

	@Test
	void invalidTokenTwiceInARowIsNotRetriedAgain() {
		this.cache.put(ImageReference.of(registryHost(), "app"), RegistryOperation.PULL, BearerToken.of("stale"));
		this.registry = (exchange) -> bearerChallenge("repository:app:pull", "invalid_token");
		assertThat(getTags("app").getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.exchanges).extracting(Exchange::authorization).containsExactly("Bearer stale", "Bearer t1");
		assertThat(this.tokenRequests).hasSize(1);
	}

	@Test
	void coldRepositoryOfAChallengedHostGetsItsTokenBeforeTheRequest() {
		this.registry = (exchange) -> (exchange.authorization() != null) ? new Answer(200, Map.of())
				: bearerChallenge("repository:app:pull", null);
		getTags("app");
		this.exchanges.clear();
		getTags("other");
		assertThat(this.exchanges).extracting(Exchange::authorization).containsExactly("Bearer t2");
		assertThat(this.tokenRequests).hasSize(2);
		assertThat(this.tokenRequests.get(1)).contains("scope=repository%3Aother%3Apull")
			.doesNotContain("repository%3Aapp");
	}

	@Test
	void pingIsPassedThroughButItsChallengeIsRemembered() {
		this.registry = (exchange) -> (exchange.authorization() != null) ? new Answer(200, Map.of())
				: bearerChallenge("repository:user/image:pull", null);
		ResponseEntity<String> ping = this.client.get().uri("/v2/").retrieve().toEntity(String.class);
		assertThat(ping.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.tokenRequests).isEmpty();
		getTags("team/app");
		assertThat(this.exchanges).extracting(Exchange::authorization).containsExactly(null, "Bearer t1");
		assertThat(this.tokenRequests).singleElement()
			.asString()
			.contains("scope=repository%3Ateam%2Fapp%3Apull")
			.doesNotContain("user");
	}

	@Test
	void redirectToAnotherHostCarriesNoCredential() {
		URI storageUrl = URI.create("http://localhost:" + this.storage.getAddress().getPort() + "/data/abc");
		this.registry = (exchange) -> (exchange.authorization() != null)
				? new Answer(307, Map.of("Location", storageUrl.toString()))
				: bearerChallenge("repository:app:pull", null);
		ResponseEntity<String> blob = this.client.get()
			.uri("/v2/app/blobs/sha256:abc")
			.retrieve()
			.toEntity(String.class);
		assertThat(blob.getBody()).isEqualTo("blob-bytes");
		assertThat(this.storageAuthorizations).hasSize(1).containsOnlyNulls();
	}

	@Test
	void rememberedRealmThatFailsIsForgottenAndTheRegistryAskedForANewChallenge() {
		this.server.createContext("/old-token", (exchange) -> {
			this.tokenRequests.add("old");
			respond(exchange, 503, Map.of("Content-Type", "text/plain"), "down");
		});
		this.registry = (exchange) -> new Answer(401, Map.of("WWW-Authenticate",
				"Bearer realm=\"http://" + registryHost() + "/old-token\",service=\"test\""));
		assertThatExceptionOfType(TokenResponseException.class).isThrownBy(() -> getTags("app"))
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(503));
		this.registry = (exchange) -> (exchange.authorization() != null) ? new Answer(200, Map.of())
				: bearerChallenge("repository:other:pull", null);
		this.exchanges.clear();
		assertThat(getTags("other").getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.exchanges).extracting(Exchange::authorization).containsExactly(null, "Bearer t1");
		assertThat(this.tokenRequests).hasSize(3).startsWith("old", "old");
	}

	@Test
	void unauthorizedAnswerOfARedirectTargetIsNotTakenForTheRegistrysChallenge() throws IOException {
		HttpServer otherHost = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		otherHost.createContext("/", (exchange) -> respond(exchange, 401,
				Map.of("WWW-Authenticate", "Bearer realm=\"http://" + registryHost() + "/token\",service=\"storage\""),
				"no"));
		otherHost.start();
		try {
			URI elsewhere = URI.create("http://localhost:" + otherHost.getAddress().getPort() + "/data/abc");
			this.registry = (exchange) -> {
				if (exchange.authorization() == null) {
					return bearerChallenge("repository:app:pull", null);
				}
				return exchange.path().contains("/blobs/") ? new Answer(307, Map.of("Location", elsewhere.toString()))
						: new Answer(200, Map.of());
			};
			assertThat(getTags("app").getStatusCode()).isEqualTo(HttpStatus.OK);
			ResponseEntity<String> blob = this.client.get()
				.uri("/v2/app/blobs/sha256:abc")
				.retrieve()
				.onStatus((status) -> true, (request, response) -> {
				})
				.toEntity(String.class);
			assertThat(blob.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
			assertThat(this.tokenRequests).hasSize(1);
			assertThat(this.cache.entries()).singleElement()
				.satisfies((entry) -> assertThat(entry.repository()).isEqualTo("app"));
			assertThat(this.cache.get(ImageReference.of(registryHost(), "app"), RegistryOperation.PULL))
				.extracting(RegistryCredential::authorization)
				.isEqualTo("Bearer t1");
		}
		finally {
			otherHost.stop(0);
		}
	}

	@Test
	void redirectWithinTheRegistryKeepsTheCredential() {
		this.registry = (exchange) -> {
			if (exchange.authorization() == null) {
				return bearerChallenge("repository:app:pull", null);
			}
			return exchange.path().endsWith("/moved") ? new Answer(200, Map.of())
					: new Answer(307, Map.of("Location", "/v2/app/blobs/moved"));
		};
		ResponseEntity<String> blob = this.client.get()
			.uri("/v2/app/blobs/sha256:abc")
			.retrieve()
			.toEntity(String.class);
		assertThat(blob.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.exchanges).extracting(Exchange::authorization).containsExactly(null, "Bearer t1", "Bearer t1");
	}

	@Test
	void deleteIsAnsweredWithAnUncachedTokenForTheChallengesScope() {
		this.registry = (exchange) -> (exchange.authorization() != null) ? new Answer(202, Map.of())
				: bearerChallenge("repository:app:delete", null);
		for (int i = 0; i < 2; i++) {
			ResponseEntity<Void> deleted = this.client.delete()
				.uri("/v2/app/manifests/sha256:abc")
				.retrieve()
				.toBodilessEntity();
			assertThat(deleted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		}
		assertThat(this.tokenRequests).hasSize(2).allSatisfy((request) -> assertThat(request).contains("delete"));
		assertThat(this.cache.entries()).isEmpty();
		assertThat(this.outcomes).containsExactly(TokenFetchListener.Outcome.SUCCESS,
				TokenFetchListener.Outcome.SUCCESS);
	}

	@Test
	void requestWithItsOwnAuthorizationIsLeftAlone() {
		this.registry = (exchange) -> bearerChallenge("repository:app:pull", null);
		ResponseEntity<String> response = this.client.get()
			.uri("/v2/app/tags/list")
			.header(HttpHeaders.AUTHORIZATION, "Bearer mine")
			.retrieve()
			.toEntity(String.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.exchanges).extracting(Exchange::authorization).containsExactly("Bearer mine");
		assertThat(this.tokenRequests).isEmpty();
	}

	@Test
	void basicChallengeIsAnsweredWithConfiguredCredentialsButWrongOnesAreNotRetried() {
		String basic = new BasicCredentials("alice", "secret").authorization();
		this.registry = (exchange) -> new Answer(401, Map.of("WWW-Authenticate", "Basic realm=\"r\""));
		assertThat(getTags("app").getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(getTags("app").getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.exchanges).extracting(Exchange::authorization).containsExactly(null, basic, basic);
	}

	@Test
	void basicChallengeWithoutConfiguredCredentialsIsReturned() {
		this.client = client(null);
		this.registry = (exchange) -> new Answer(401, Map.of("WWW-Authenticate", "Basic realm=\"r\""));
		assertThat(getTags("app").getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.exchanges).hasSize(1);
	}

	@Test
	void refusedTokenRequestThrowsReportsRefusedAndCachesNothing() {
		this.tokenStatus = 401;
		this.registry = (exchange) -> bearerChallenge("repository:app:pull", null);
		assertThatExceptionOfType(TokenResponseException.class).isThrownBy(() -> getTags("app"))
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(401))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("secret"));
		assertThat(this.cache.entries()).isEmpty();
		assertThat(this.outcomes).containsExactly(TokenFetchListener.Outcome.REFUSED);
	}

	@Test
	void listenerThatThrowsNeitherFailsTheRequestNorSilencesTheListenersAfterIt() {
		List<TokenFetchListener.Outcome> laterOutcomes = new CopyOnWriteArrayList<>();
		this.client = client(null, (operation, outcome, duration) -> {
			throw new IllegalStateException("listener failure");
		}, (operation, outcome, duration) -> laterOutcomes.add(outcome));
		this.registry = (exchange) -> authorized(exchange, "Bearer t1") ? new Answer(200, Map.of())
				: bearerChallenge("repository:app:pull", null);
		assertThat(getTags("app").getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.outcomes).containsExactly(TokenFetchListener.Outcome.SUCCESS);
		assertThat(laterOutcomes).containsExactly(TokenFetchListener.Outcome.SUCCESS);
	}

	private RestClient client(@Nullable RegistryLogin login, TokenFetchListener... moreListeners) {
		TokenEndpointClient tokenEndpointClient = new TokenEndpointClient(RestClient.builder(), RealmPolicy.standard(),
				new TokenResponseReader(), Duration.ofSeconds(2), Duration.ofSeconds(5));
		RegistryAuthInterceptor.Builder builder = RegistryAuthInterceptor.builder(this.cache, tokenEndpointClient)
			.fetchListener((operation, outcome, duration) -> this.outcomes.add(outcome));
		for (TokenFetchListener listener : moreListeners) {
			builder.fetchListener(listener);
		}
		if (login != null) {
			builder.login(registryHost(), login);
		}
		return RestClient.builder()
			.baseUrl("http://" + registryHost())
			.requestFactory(new JdkClientHttpRequestFactory())
			.requestInterceptor(builder.build())
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
	}

	private ResponseEntity<String> getTags(String repository) {
		return this.client.get().uri("/v2/" + repository + "/tags/list").retrieve().toEntity(String.class);
	}

	private String registryHost() {
		return "127.0.0.1:" + this.server.getAddress().getPort();
	}

	private Answer bearerChallenge(String scope, @Nullable String error) {
		String challenge = "Bearer realm=\"http://" + registryHost() + "/token\",service=\"test\",scope=\"" + scope
				+ "\"" + ((error != null) ? ",error=\"" + error + "\"" : "");
		return new Answer(401, Map.of("WWW-Authenticate", challenge));
	}

	private static boolean authorized(Exchange exchange, String authorization) {
		return authorization.equals(exchange.authorization());
	}

	private void token(HttpExchange exchange) throws IOException {
		this.tokenRequests.add(exchange.getRequestURI().getRawQuery());
		if (this.tokenStatus != 200) {
			respond(exchange, this.tokenStatus, Map.of("Content-Type", "application/json"),
					"{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"no\"}]}");
			return;
		}
		respond(exchange, 200, Map.of("Content-Type", "application/json"),
				"{\"token\":\"t" + this.tokens.incrementAndGet() + "\",\"expires_in\":300}");
	}

	private void registry(HttpExchange exchange) throws IOException {
		String body;
		try (InputStream input = exchange.getRequestBody()) {
			body = new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
		Exchange recorded = new Exchange(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
				exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
				exchange.getRequestHeaders().getFirst("Content-Type"), body);
		this.exchanges.add(recorded);
		Answer answer = this.registry.apply(recorded);
		respond(exchange, answer.status(), answer.headers(), "");
	}

	private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body)
			throws IOException {
		headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, (bytes.length > 0) ? bytes.length : -1);
		try (OutputStream output = exchange.getResponseBody()) {
			output.write(bytes);
		}
	}

	private record Exchange(String method, String path, @Nullable String query, @Nullable String authorization,
			@Nullable String contentType, String body) {

	}

	private record Answer(int status, Map<String, String> headers) {

	}

}
