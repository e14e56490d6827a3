package io.github.ocitokencache.auth;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.ocitokencache.cache.BearerToken;
import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryOperation;
import io.github.ocitokencache.cache.TokenResponseException;
import io.github.ocitokencache.cache.TokenResponseReader;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TokenEndpointClient} against a recording token endpoint on loopback.
 *
 * @author oci-token-cache team
 */
class TokenEndpointClientTests {

	private static final String PASSWORD = "s3cret-password";

	private static final String IDENTITY_TOKEN = "identity-token-secret";

	private static final String ISSUED_TOKEN = "issued-token-text";

	private static final RegistryLogin BASIC_LOGIN = RegistryLogin.basic("alice", PASSWORD);

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	private HttpServer server;

	private volatile int status = 200;

	private volatile String contentType = "application/json";

	private volatile byte[] body = ("{\"token\":\"" + ISSUED_TOKEN + "\",\"expires_in\":300}")
		.getBytes(StandardCharsets.UTF_8);

	private volatile boolean blocking;

	private String authority;

	private TokenEndpointClient client;

	@BeforeEach
	void startTokenEndpoint() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", this::handle);
		this.server.start();
		this.authority = "127.0.0.1:" + this.server.getAddress().getPort();
		this.client = new TokenEndpointClient(RestClient.builder(), RealmPolicy.standard(), new TokenResponseReader(),
				Duration.ofSeconds(2), Duration.ofSeconds(5));
	}

	@AfterEach
	void stopTokenEndpoint() {
		this.release.countDown();
		this.server.stop(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			byte[] requestBody = exchange.getRequestBody().readAllBytes();
			this.requests.add(new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI(),
					exchange.getRequestHeaders().getFirst("Authorization"),
					exchange.getRequestHeaders().getFirst("Content-Type"),
					new String(requestBody, StandardCharsets.UTF_8)));
			if (this.blocking) {
				this.release.await(30, TimeUnit.SECONDS);
			}
			exchange.getResponseHeaders().set("Content-Type", this.contentType);
			if (this.status == 302) {
				exchange.getResponseHeaders().set("Location", "/elsewhere");
			}
			exchange.sendResponseHeaders(this.status, (this.body.length > 0) ? this.body.length : -1);
			exchange.getResponseBody().write(this.body);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	@DisplayName("Q01 anonymous pull: GET realm?scope=repository:team/app:pull&service=r")
	void anonymousPullAsksWithScopeAndService() {
		BearerToken token = fetch(challenge("service=\"r\""), RegistryOperation.PULL, null);
		assertThat(token.token()).isEqualTo(ISSUED_TOKEN);
		assertThat(token.expiresIn()).isEqualTo(Duration.ofSeconds(300));
		RecordedRequest request = onlyRequest();
		assertThat(request.method()).isEqualTo("GET");
		assertThat(request.uri().getPath()).isEqualTo("/token");
		assertThat(request.query()).containsOnlyKeys("scope", "service");
		assertThat(request.query().get("scope")).containsExactly("repository:team/app:pull");
		assertThat(request.query().get("service")).containsExactly("r");
		assertThat(request.authorization()).isNull();
	}

	@Test
	@DisplayName("Q02 push: one scope pull,push; W08 no service: no service parameter")
	void pushWithoutServiceAsksForOneScope() {
		fetch(challenge(""), RegistryOperation.PUSH, null);
		RecordedRequest request = onlyRequest();
		assertThat(request.query()).containsOnlyKeys("scope");
		assertThat(request.query().get("scope")).containsExactly("repository:team/app:pull,push");
	}

	@Test
	@DisplayName("Q03 challenge scope push,pull is requested as pull,push")
	void challengeActionsAreNormalised() {
		fetch(challenge("scope=\"repository:team/app:push,pull\""), RegistryOperation.PULL, null);
		assertThat(onlyRequest().query().get("scope")).containsExactly("repository:team/app:pull,push");
	}

	@Test
	@DisplayName("Q04 an existing realm query is kept")
	void existingRealmQueryIsKept() {
		fetch(parse("Bearer realm=\"http://" + this.authority + "/token?account=x\",service=\"r\""),
				RegistryOperation.PULL, null);
		RecordedRequest request = onlyRequest();
		assertThat(request.uri().getRawQuery()).startsWith("account=x&");
		assertThat(request.query()).containsOnlyKeys("account", "scope", "service");
	}

	@Test
	@DisplayName("Q05 a ping challenge about another repository asks only for the requested one")
	void pingChallengeScopeIsNotRequested() {
		this.client.fetch(challenge("service=\"r\",scope=\"repository:user/image:pull\""),
				URI.create("http://" + this.authority + "/v2/"), ImageReference.of(this.authority, "team/app"),
				RegistryOperation.PULL, null);
		assertThat(onlyRequest().query().get("scope")).containsExactly("repository:team/app:pull");
	}

	@Test
	@DisplayName("W07 a relative realm is asked on the registry's own host")
	void relativeRealmIsResolvedAgainstTheRequestUrl() {
		fetch(parse("Bearer realm=\"/auth/token\",service=\"r\""), RegistryOperation.PULL, BASIC_LOGIN);
		RecordedRequest request = onlyRequest();
		assertThat(request.uri().getPath()).isEqualTo("/auth/token");
		assertThat(request.authorization()).isEqualTo(basic("alice", PASSWORD));
	}

	@Test
	void basicCredentialsGoToTheRegistrysOwnHost() {
		fetch(challenge("service=\"r\""), RegistryOperation.PUSH, BASIC_LOGIN);
		RecordedRequest request = onlyRequest();
		assertThat(request.method()).isEqualTo("GET");
		assertThat(request.authorization()).isEqualTo(basic("alice", PASSWORD));
	}

	@Test
	void identityTokenIsSentWithTheRefreshTokenGrant() {
		fetch(challenge("service=\"r\",scope=\"repository:team/app:push,pull\""), RegistryOperation.PUSH,
				RegistryLogin.identityToken(IDENTITY_TOKEN));
		RecordedRequest request = onlyRequest();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.uri().getRawQuery()).isNull();
		assertThat(request.contentType()).startsWith("application/x-www-form-urlencoded");
		assertThat(request.authorization()).isNull();
		MultiValueMap<String, String> form = request.form();
		assertThat(form.toSingleValueMap()).containsOnlyKeys("grant_type", "service", "scope", "client_id",
				"refresh_token");
		assertThat(form.getFirst("grant_type")).isEqualTo("refresh_token");
		assertThat(form.getFirst("service")).isEqualTo("r");
		assertThat(form.getFirst("scope")).isEqualTo("repository:team/app:pull,push");
		assertThat(form.getFirst("client_id")).isEqualTo("oci-token-cache");
		assertThat(form.getFirst("refresh_token")).isEqualTo(IDENTITY_TOKEN);
	}

	@Test
	@DisplayName("Q06 credentials for registry.example.com are not sent to a realm on another host")
	void credentialsAreNotSentToAnUntrustedRealm() {
		BearerToken token = fetchForOtherRegistry(RealmPolicy.standard(), BASIC_LOGIN);
		assertThat(token.token()).isEqualTo(ISSUED_TOKEN);
		RecordedRequest request = onlyRequest();
		assertThat(request.method()).isEqualTo("GET");
		assertThat(request.authorization()).isNull();
		assertThat(request.uri().toString()).doesNotContain("alice");
	}

	@Test
	@DisplayName("Q06 kind: an identity token is not sent to a realm on another host either")
	void identityTokenIsNotSentToAnUntrustedRealm() {
		fetchForOtherRegistry(RealmPolicy.standard(), RegistryLogin.identityToken(IDENTITY_TOKEN));
		RecordedRequest request = onlyRequest();
		assertThat(request.method()).isEqualTo("GET");
		assertThat(request.authorization()).isNull();
		assertThat(request.body()).doesNotContain(IDENTITY_TOKEN);
		assertThat(request.uri().toString()).doesNotContain(IDENTITY_TOKEN);
	}

	@Test
	@DisplayName("Q06 kind: a realm host the application trusts receives the credentials")
	void credentialsAreSentToATrustedRealm() {
		fetchForOtherRegistry(RealmPolicy.standard().trust("registry.example.com", List.of("127.0.0.1")), BASIC_LOGIN);
		assertThat(onlyRequest().authorization()).isEqualTo(basic("alice", PASSWORD));
	}

	@Test
	@DisplayName("Q07 an https registry naming a plain http realm is refused before anything is sent")
	void plainHttpRealmForHttpsRegistryIsRefused() {
		assertThatExceptionOfType(InsecureRealmException.class)
			.isThrownBy(() -> this.client.fetch(challenge("service=\"r\""),
					URI.create("https://registry.example.com/v2/team/app/tags/list"),
					ImageReference.of("registry.example.com", "team/app"), RegistryOperation.PULL, BASIC_LOGIN))
			.withMessageContaining("127.0.0.1")
			.withMessageContaining("registry.example.com")
			.withMessageNotContaining(PASSWORD);
		assertThat(this.requests).isEmpty();
	}

	@ParameterizedTest(name = "status {0} is a TokenResponseException with status and error code")
	@ValueSource(ints = { 401, 403, 500, 503 })
	void refusedRequestIsTokenResponseException(int status) {
		this.status = status;
		this.body = "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"token text leaked-token here\"}]}"
			.getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(TokenResponseException.class)
			.isThrownBy(() -> fetch(challenge("service=\"r\""), RegistryOperation.PULL, BASIC_LOGIN))
			.withMessageContaining(String.valueOf(status))
			.withMessageNotContaining("leaked-token")
			.withMessageNotContaining(PASSWORD)
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(status);
				assertThat(ex.getErrorCode()).isEqualTo("DENIED");
			});
	}

	@Test
	void nonJsonAnswerIsTokenResponseException() {
		this.contentType = "text/html";
		this.body = "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(TokenResponseException.class)
			.isThrownBy(() -> fetch(challenge("service=\"r\""), RegistryOperation.PULL, null))
			.withMessageContaining("text/html")
			.withMessageNotContaining("bad gateway");
	}

	@Test
	void redirectIsNotFollowed() {
		this.status = 302;
		this.body = new byte[0];
		assertThatExceptionOfType(TokenResponseException.class)
			.isThrownBy(() -> fetch(challenge("service=\"r\""), RegistryOperation.PULL, BASIC_LOGIN))
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(302));
		assertThat(this.requests).hasSize(1);
	}

	@Test
	void oversizedAnswerIsTokenResponseException() {
		this.body = new byte[TokenEndpointClient.MAX_RESPONSE_BYTES + 1];
		assertThatExceptionOfType(TokenResponseException.class)
			.isThrownBy(() -> fetch(challenge("service=\"r\""), RegistryOperation.PULL, null))
			.withMessageContaining("larger than");
	}

	@Test
	void readTimeoutIsTokenRequestExceptionNamingTheRealmHost() {
		this.blocking = true;
		TokenEndpointClient impatient = new TokenEndpointClient(RestClient.builder(), RealmPolicy.standard(),
				new TokenResponseReader(), Duration.ofSeconds(2), Duration.ofMillis(200));
		assertThatExceptionOfType(TokenRequestException.class)
			.isThrownBy(() -> impatient.fetch(challenge("service=\"r\""),
					URI.create("http://" + this.authority + "/v2/team/app/tags/list"),
					ImageReference.of(this.authority, "team/app"), RegistryOperation.PULL, BASIC_LOGIN))
			.withMessageContaining("'127.0.0.1'")
			.withMessageContaining("timed out")
			.withMessageNotContaining(PASSWORD)
			.satisfies((ex) -> assertThat(ex.getRealmHost()).isEqualTo("127.0.0.1"));
	}

	@Test
	void refusedConnectionIsTokenRequestException() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		String closed = "127.0.0.1:" + closedPort;
		assertThatExceptionOfType(TokenRequestException.class)
			.isThrownBy(() -> this.client.fetch(parse("Bearer realm=\"http://" + closed + "/token\""),
					URI.create("http://" + closed + "/v2/team/app/tags/list"), ImageReference.of(closed, "team/app"),
					RegistryOperation.PULL, BASIC_LOGIN))
			.withMessageContaining("'127.0.0.1'")
			.withMessageContaining("registry '" + closed + "'")
			.withMessageNotContaining(PASSWORD);
	}

	@Test
	void basicChallengeIsNotFetched() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> fetch(parse("Basic realm=\"basic-realm\""), RegistryOperation.PULL, BASIC_LOGIN));
		assertThat(this.requests).isEmpty();
	}

	@Test
	void bearerChallengeWithoutRealmIsInvalidChallenge() {
		assertThatExceptionOfType(InvalidChallengeException.class)
			.isThrownBy(() -> fetch(parse("Bearer service=\"r\""), RegistryOperation.PULL, BASIC_LOGIN));
		assertThat(this.requests).isEmpty();
	}

	@Test
	void loginToStringHidesSecrets() {
		assertThat(BASIC_LOGIN.toString()).contains("alice").doesNotContain(PASSWORD);
		assertThat(RegistryLogin.identityToken(IDENTITY_TOKEN).toString()).doesNotContain(IDENTITY_TOKEN);
	}

	private BearerToken fetch(AuthChallenge challenge, RegistryOperation operation, @Nullable RegistryLogin login) {
		return this.client.fetch(challenge, URI.create("http://" + this.authority + "/v2/team/app/tags/list"),
				ImageReference.of(this.authority, "team/app"), operation, login);
	}

	private BearerToken fetchForOtherRegistry(RealmPolicy policy, RegistryLogin login) {
		TokenEndpointClient client = new TokenEndpointClient(RestClient.builder(), policy, new TokenResponseReader(),
				Duration.ofSeconds(2), Duration.ofSeconds(5));
		return client.fetch(challenge("service=\"registry.example.com\""),
				URI.create("http://registry.example.com/v2/team/app/tags/list"),
				ImageReference.of("registry.example.com", "team/app"), RegistryOperation.PULL, login);
	}

	private AuthChallenge challenge(String parameters) {
		return parse("Bearer realm=\"http://" + this.authority + "/token\"" + (parameters.isEmpty() ? "" : ",")
				+ parameters);
	}

	private static AuthChallenge parse(String line) {
		AuthChallenge challenge = WwwAuthenticate.parse(List.of(line)).preferredChallenge();
		assertThat(challenge).isNotNull();
		return challenge;
	}

	private RecordedRequest onlyRequest() {
		assertThat(this.requests).hasSize(1);
		return this.requests.get(0);
	}

	private static String basic(String username, String password) {
		return "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	record RecordedRequest(String method, URI uri, @Nullable String authorization, @Nullable String contentType,
			String body) {

		MultiValueMap<String, String> query() {
			return decode(UriComponentsBuilder.fromUri(this.uri).build(true).getQueryParams());
		}

		MultiValueMap<String, String> form() {
			return decode(UriComponentsBuilder.newInstance().query(this.body).build(true).getQueryParams());
		}

		private static MultiValueMap<String, String> decode(MultiValueMap<String, String> encoded) {
			MultiValueMap<String, String> decoded = new LinkedMultiValueMap<>();
			encoded.forEach((name, values) -> values.forEach(
					(value) -> decoded.add(UriUtils.decode(name, StandardCharsets.UTF_8), decodeFormValue(value))));
			return decoded;
		}

		private static String decodeFormValue(@Nullable String value) {
			return (value != null) ? UriUtils.decode(value.replace("+", "%20"), StandardCharsets.UTF_8) : "";
		}

	}

}
