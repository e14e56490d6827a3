package io.github.ocitokencache.testsupport.registry;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.ocitokencache.testsupport.registry.TestTokenIssuer.TokenRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link TestTokenIssuer}.
 *
 * @author oci-token-cache team
 */
class TestTokenIssuerTests {

	private static final String ALICE = "Basic " + base64("alice:secret");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static SigningKey key;

	private static SigningKey otherKey;

	private final HttpClient http = HttpClient.newHttpClient();

	private TestTokenIssuer issuer;

	@BeforeAll
	static void generateKeys() {
		key = SigningKey.generate("issuer-tests");
		otherKey = SigningKey.generate("issuer-tests-other");
	}

	@BeforeEach
	void startIssuer() {
		this.issuer = TestTokenIssuer.builder(key)
			.user("alice", "secret")
			.user("reader", "secret", Set.of("pull"))
			.identityToken("alice-identity-token", "alice")
			.start();
	}

	@AfterEach
	void stopIssuer() {
		this.issuer.close();
	}

	@Test
	void realmIsTokenPathOnLoopback() {
		assertThat(this.issuer.realm().toString()).matches("http://127\\.0\\.0\\.1:\\d+/token");
	}

	@Test
	void mintsSignedTokenWithTheClaimsTheRegistryNeeds() throws Exception {
		Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		HttpResponse<String> response = get("service=test-registry&scope=repository:demo/app:pull,push", ALICE);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("access_token").asString()).isEqualTo(body.get("token").asString());
		assertThat(body.get("expires_in").asLong()).isEqualTo(300);
		assertThat(Instant.parse(body.get("issued_at").asString())).isAfterOrEqualTo(before);
		SignedJWT jwt = SignedJWT.parse(body.get("token").asString());
		assertThat(jwt.verify(new RSASSAVerifier(key.publicKey()))).isTrue();
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
		assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
		assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.keyId());
		JWTClaimsSet claims = jwt.getJWTClaimsSet();
		assertThat(claims.getIssuer()).isEqualTo("test-issuer");
		assertThat(claims.getSubject()).isEqualTo("alice");
		assertThat(claims.getJWTID()).isNotBlank();
		assertThat(claims.getIssueTime()).isEqualTo(claims.getNotBeforeTime());
		assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(300_000);
		assertThat(claims.getClaim("access"))
			.isEqualTo(List.of(Map.of("type", "repository", "name", "demo/app", "actions", List.of("pull", "push"))));
		JsonNode payload = json.readTree(Base64.getUrlDecoder().decode(jwt.getParsedParts()[1].toString()));
		assertThat(payload.get("aud").isString()).as("aud must be a single string").isTrue();
		assertThat(payload.get("aud").asString()).isEqualTo("test-registry");
		assertThat(payload.get("exp").isIntegralNumber()).isTrue();
		assertThat(jwt.serialize()).doesNotContain("=");
	}

	@Test
	void mergesRepeatedAndSpaceSeparatedScopes() throws Exception {
		HttpResponse<String> response = get("service=test-registry&scope=repository:demo/app:pull"
				+ "&scope=repository:demo/app:push+repository:other/repo:pull&scope=registry:catalog:*", ALICE);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(accessOf(response)).containsExactly(
				Map.of("type", "repository", "name", "demo/app", "actions", List.of("pull", "push")),
				Map.of("type", "repository", "name", "other/repo", "actions", List.of("pull")),
				Map.of("type", "registry", "name", "catalog", "actions", List.of("*")));
		assertThat(this.issuer.requests().get(0).scopes()).containsExactly("repository:demo/app:pull",
				"repository:demo/app:push", "repository:other/repo:pull", "registry:catalog:*");
	}

	@Test
	void grantsRestrictedUserOnlyItsActions() throws Exception {
		HttpResponse<String> response = get("service=test-registry&scope=repository:demo/app:pull,push",
				"Basic " + base64("reader:secret"));
		assertThat(accessOf(response))
			.containsExactly(Map.of("type", "repository", "name", "demo/app", "actions", List.of("pull")));
	}

	@Test
	void wrongPasswordGets401WithJsonErrorThatDoesNotEchoThePassword() throws Exception {
		HttpResponse<String> response = get("service=test-registry&scope=repository:demo/app:pull",
				"Basic " + base64("alice:not-the-password"));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(json.readTree(response.body()).at("/errors/0/code").asString()).isEqualTo("UNAUTHORIZED");
		assertThat(response.body()).doesNotContain("not-the-password");
		assertThat(this.issuer.requests()).singleElement()
			.satisfies((request) -> assertThat(request.user()).isNull())
			.satisfies((request) -> assertThat(request.authorizationPresent()).isTrue())
			.satisfies((request) -> assertThat(request.status()).isEqualTo(401));
	}

	@Test
	void anonymousCallerGets401WhenAnonymousPullIsDisabled() throws Exception {
		HttpResponse<String> response = get("service=test-registry&scope=repository:demo/app:pull", null);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"test-issuer\"");
	}

	@Test
	void anonymousCallerIsGrantedPullOnlyWhenAnonymousPullIsEnabled() throws Exception {
		try (TestTokenIssuer anonymous = TestTokenIssuer.builder(key).anonymousPull().start()) {
			HttpResponse<String> response = send(HttpRequest
				.newBuilder(
						URI.create(anonymous.realm() + "?service=test-registry&scope=repository:demo/app:pull,push"))
				.build());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(accessOf(response))
				.containsExactly(Map.of("type", "repository", "name", "demo/app", "actions", List.of("pull")));
			SignedJWT jwt = SignedJWT.parse(json.readTree(response.body()).get("token").asString());
			assertThat(jwt.getJWTClaimsSet().getSubject()).isNull();
			assertThat(anonymous.requests()).singleElement()
				.satisfies((request) -> assertThat(request.authorizationPresent()).isFalse());
		}
	}

	@Test
	void unknownServiceGets400() throws Exception {
		assertThat(get("service=other&scope=repository:demo/app:pull", ALICE).statusCode()).isEqualTo(400);
		assertThat(get("scope=repository:demo/app:pull", ALICE).statusCode()).isEqualTo(400);
	}

	@Test
	void malformedScopeGets400() throws Exception {
		assertThat(get("service=test-registry&scope=repository:demo/app", ALICE).statusCode()).isEqualTo(400);
		assertThat(get("service=test-registry&scope=repository:demo/app:", ALICE).statusCode()).isEqualTo(400);
	}

	@Test
	void acceptsAccountParameter() throws Exception {
		HttpResponse<String> response = get("account=alice&scope=repository%3Ademo%2Fapp%3Apull&service=test-registry",
				ALICE);
		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Test
	void refreshTokenGrantMapsIdentityTokenToUser() throws Exception {
		HttpResponse<String> response = post("grant_type=refresh_token&refresh_token=alice-identity-token"
				+ "&service=test-registry&scope=repository%3Ademo%2Fapp%3Apull&client_id=tests");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("scope").asString()).isEqualTo("repository:demo/app:pull");
		assertThat(SignedJWT.parse(body.get("access_token").asString()).getJWTClaimsSet().getSubject())
			.isEqualTo("alice");
		assertThat(this.issuer.requests()).singleElement()
			.isEqualTo(new TokenRequest("POST", "test-registry", List.of("repository:demo/app:pull"), false, "alice",
					"refresh_token", 200));
	}

	@Test
	void passwordGrantAuthenticatesUser() throws Exception {
		HttpResponse<String> response = post(
				"grant_type=password&username=alice&password=secret&service=test-registry&client_id=tests");
		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Test
	void postWithUnknownRefreshTokenOrWithoutClientIdGets400() throws Exception {
		HttpResponse<String> unknown = post(
				"grant_type=refresh_token&refresh_token=unknown&service=test-registry&client_id=tests");
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(json.readTree(unknown.body()).get("error").asString()).isEqualTo("invalid_grant");
		HttpResponse<String> noClientId = post(
				"grant_type=refresh_token&refresh_token=alice-identity-token&service=test-registry");
		assertThat(json.readTree(noClientId.body()).get("error").asString()).isEqualTo("invalid_request");
		HttpResponse<String> wrongGrant = post("grant_type=client_credentials&service=test-registry&client_id=tests");
		assertThat(json.readTree(wrongGrant.body()).get("error").asString()).isEqualTo("unsupported_grant_type");
	}

	@Test
	void tokenLifetimeAndExpiresInAreConfigurableAtRuntime() throws Exception {
		this.issuer.setTokenLifetime(Duration.ofSeconds(2));
		this.issuer.setSendExpiresIn(false);
		HttpResponse<String> response = get("service=test-registry&scope=repository:demo/app:pull", ALICE);
		JsonNode body = json.readTree(response.body());
		assertThat(body.has("expires_in")).isFalse();
		JWTClaimsSet claims = SignedJWT.parse(body.get("token").asString()).getJWTClaimsSet();
		assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(2000);
	}

	@Test
	void rotateKeySignsLaterTokensWithTheNewKey() throws Exception {
		this.issuer.rotateKey(otherKey);
		SignedJWT jwt = SignedJWT.parse(this.issuer.mintToken("alice", "repository:demo/app:pull"));
		assertThat(jwt.getHeader().getKeyID()).isEqualTo(otherKey.keyId()).isNotEqualTo(key.keyId());
		assertThat(jwt.verify(new RSASSAVerifier(otherKey.publicKey()))).isTrue();
		assertThat(this.issuer.signingKey()).isSameAs(otherKey);
	}

	@Test
	void mintTokenIsNotCountedAsRequest() {
		this.issuer.mintToken(null, "registry:catalog:*");
		assertThat(this.issuer.requestCount()).isZero();
	}

	@Test
	void recordsEveryRequestAndResets() throws Exception {
		get("service=test-registry&scope=repository:demo/app:pull", ALICE);
		get("service=test-registry&scope=repository:demo/app:pull", null);
		assertThat(this.issuer.requestCount()).isEqualTo(2);
		assertThat(this.issuer.requests()).containsExactly(
				new TokenRequest("GET", "test-registry", List.of("repository:demo/app:pull"), true, "alice", null, 200),
				new TokenRequest("GET", "test-registry", List.of("repository:demo/app:pull"), false, null, null, 401));
		this.issuer.resetRequests();
		assertThat(this.issuer.requestCount()).isZero();
	}

	@Test
	void countsConcurrentRequests() {
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 32; i++) {
			responses
				.add(this.http.sendAsync(request("service=test-registry&scope=repository:demo/app:pull", ALICE).build(),
						HttpResponse.BodyHandlers.ofString()));
		}
		assertThat(responses).allSatisfy((response) -> assertThat(response.join().statusCode()).isEqualTo(200));
		assertThat(this.issuer.requestCount()).isEqualTo(32);
	}

	@Test
	void closeStopsTheServer() {
		this.issuer.close();
		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> get("service=test-registry&scope=repository:demo/app:pull", ALICE));
	}

	private List<Object> accessOf(HttpResponse<String> response) throws Exception {
		assertThat(response.statusCode()).isEqualTo(200);
		String token = json.readTree(response.body()).get("token").asString();
		return SignedJWT.parse(token).getJWTClaimsSet().getListClaim("access");
	}

	private HttpResponse<String> get(String query, String authorization) throws Exception {
		HttpRequest.Builder request = request(query, authorization);
		return send(request.build());
	}

	private HttpRequest.Builder request(String query, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer.realm() + "?" + query));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return request;
	}

	private HttpResponse<String> post(String form) throws Exception {
		return send(HttpRequest.newBuilder(this.issuer.realm())
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build());
	}

	private HttpResponse<String> send(HttpRequest request) throws Exception {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static String base64(String value) {
		return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
	}

}
