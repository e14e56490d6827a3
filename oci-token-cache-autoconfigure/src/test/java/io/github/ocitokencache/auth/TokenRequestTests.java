package io.github.ocitokencache.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryOperation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link TokenRequest}: section 5 of the behaviour cases (Q01 to Q05) and other
 * inputs of the same kinds.
 *
 * @author oci-token-cache team
 */
class TokenRequestTests {

	private static final URI REALM = URI.create("https://r/token");

	private static final ImageReference TEAM_APP = ImageReference.of("r", "team/app");

	@Test
	@DisplayName("Q01 pull with a service: GET realm?scope=repository:team/app:pull&service=r")
	void pullWithService() {
		TokenRequest request = TokenRequest.of(REALM, "r", TEAM_APP, RegistryOperation.PULL, List.of());
		assertThat(request.method()).isEqualTo(HttpMethod.GET);
		assertThat(request.uri().getScheme()).isEqualTo("https");
		assertThat(request.uri().getHost()).isEqualTo("r");
		assertThat(request.uri().getPath()).isEqualTo("/token");
		MultiValueMap<String, String> query = query(request);
		assertThat(query).containsOnlyKeys("scope", "service");
		assertThat(query.get("scope")).containsExactly("repository:team/app:pull");
		assertThat(query.get("service")).containsExactly("r");
		assertThat(request.formData()).isEmpty();
	}

	@Test
	@DisplayName("W08 no service in the challenge: no service parameter at all")
	void noServiceMeansNoServiceParameter() {
		AuthChallenge challenge = challenge("Bearer realm=\"https://gar.example/v2/token\"");
		TokenRequest request = TokenRequest.forChallenge(challenge,
				URI.create("https://gar.example/v2/team/app/tags/list"), ImageReference.of("gar.example", "team/app"),
				RegistryOperation.PULL);
		assertThat(request.service()).isNull();
		assertThat(query(request)).containsOnlyKeys("scope");
		assertThat(request.uri().getRawQuery()).doesNotContain("service");
	}

	@Test
	@DisplayName("Q02 push: one scope with pull,push")
	void pushAsksForPullAndPushInOneScope() {
		TokenRequest request = TokenRequest.of(REALM, "r", TEAM_APP, RegistryOperation.PUSH, List.of());
		assertThat(query(request).get("scope")).containsExactly("repository:team/app:pull,push");
	}

	@ParameterizedTest(name = "Q03 challenge scope [{0}] for a {1} -> {2}")
	@CsvSource(delimiter = '|', textBlock = """
			repository:team/app:push,pull                           | PUSH | repository:team/app:pull,push
			repository:team/app:push,pull                           | PULL | repository:team/app:pull,push
			repository:team/app:pull,push                           | PUSH | repository:team/app:pull,push
			repository:team/app:pull repository:team/app:push       | PULL | repository:team/app:pull,push
			repository:team/app:pull                                | PUSH | repository:team/app:pull,push
			repository:team/app:delete                              | PULL | repository:team/app:delete,pull
			""")
	void challengeActionsAreNormalisedIntoOneScope(String challengeScope, RegistryOperation operation,
			String expected) {
		TokenRequest request = TokenRequest.of(REALM, "r", TEAM_APP, operation, TokenScope.parseList(challengeScope));
		assertThat(query(request).get("scope")).containsExactly(expected);
	}

	@ParameterizedTest(name = "Q04 existing query kept: {0}")
	@CsvSource(delimiter = '|', textBlock = """
			https://r/token?account=x           | account=x&
			https://r/token?account=a%40b&x=1   | account=a%40b&x=1&
			https://r/token?                    | ''
			""")
	void existingQueryIsKept(String realm, String expectedPrefix) {
		TokenRequest request = TokenRequest.of(URI.create(realm), "r", TEAM_APP, RegistryOperation.PULL, List.of());
		assertThat(request.uri().getRawQuery()).startsWith(expectedPrefix + "scope=");
		assertThat(query(request).get("scope")).containsExactly("repository:team/app:pull");
	}

	@Test
	@DisplayName("Q04 existing query kept: account=x")
	void accountQueryIsKept() {
		TokenRequest request = TokenRequest.of(URI.create("https://r/token?account=x"), "r", TEAM_APP,
				RegistryOperation.PULL, List.of());
		assertThat(query(request)).containsOnlyKeys("account", "scope", "service");
		assertThat(query(request).get("account")).containsExactly("x");
		assertThat(request.realm()).isEqualTo(URI.create("https://r/token?account=x"));
	}

	@Test
	@DisplayName("Q05 a /v2/ ping scope naming another repository is not requested")
	void pingScopeForAnotherRepositoryIsDropped() {
		AuthChallenge ping = challenge(
				"Bearer realm=\"https://r/token\",service=\"r\",scope=\"repository:user/image:pull\"");
		TokenRequest request = TokenRequest.forChallenge(ping, URI.create("https://r/v2/"), TEAM_APP,
				RegistryOperation.PULL);
		assertThat(request.scopes()).extracting(TokenScope::toString).containsExactly("repository:team/app:pull");
		assertThat(query(request).get("scope")).containsExactly("repository:team/app:pull");
	}

	@ParameterizedTest(name = "Q05 kind: scope [{0}] names no scope of the requested repository")
	@ValueSource(strings = { "repository:user/image:pull,push", "registry:catalog:*", "aws",
			"repository:user/image:pull repository:other/app:push" })
	void scopesOfAChallengeAboutAnotherResourceAreDropped(String scope) {
		TokenRequest request = TokenRequest.of(REALM, "r", TEAM_APP, RegistryOperation.PULL,
				TokenScope.parseList(scope));
		assertThat(query(request).get("scope")).containsExactly("repository:team/app:pull");
	}

	@ParameterizedTest(name = "mount challenge in Distribution's order [{0}]: both resources, one scope each")
	@ValueSource(strings = { "repository:demo/app:pull,push repository:other/repo:pull",
			"repository:other/repo:pull repository:demo/app:push,pull" })
	void challengeAboutTheRequestedRepositoryKeepsItsOtherResources(String scope) {
		TokenRequest request = TokenRequest.of(URI.create("http://127.0.0.1:46913/token"), "test-registry",
				ImageReference.of("127.0.0.1:5000", "demo/app"), RegistryOperation.PUSH, TokenScope.parseList(scope));
		assertThat(query(request).get("scope")).containsExactly("repository:demo/app:pull,push",
				"repository:other/repo:pull");
	}

	@Test
	void parameterValuesAreEncoded() {
		TokenRequest request = TokenRequest.of(REALM, "a b&c=d+e/ü", TEAM_APP, RegistryOperation.PUSH, List.of());
		assertThat(request.uri().getRawQuery())
			.isEqualTo("scope=repository%3Ateam%2Fapp%3Apull%2Cpush&service=a%20b%26c%3Dd%2Be%2F%C3%BC");
		assertThat(query(request).get("service")).containsExactly("a b&c=d+e/ü");
	}

	@Test
	void forChallengeResolvesRealmAndTakesServiceAndScope() {
		AuthChallenge challenge = challenge(
				"Bearer realm=\"/zot/auth/token\",service=\"zot\",scope=\"repository:app:push,pull\"");
		TokenRequest request = TokenRequest.forChallenge(challenge,
				URI.create("https://zot.example:8443/v2/app/blobs/uploads/"),
				ImageReference.of("zot.example:8443", "app"), RegistryOperation.PUSH);
		assertThat(request.realm()).isEqualTo(URI.create("https://zot.example:8443/zot/auth/token"));
		assertThat(request.uri().getRawPath()).isEqualTo("/zot/auth/token");
		assertThat(query(request).get("service")).containsExactly("zot");
		assertThat(query(request).get("scope")).containsExactly("repository:app:pull,push");
	}

	@Test
	void forChallengeRejectsABasicChallenge() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TokenRequest.forChallenge(challenge("Basic realm=\"registry\""),
					URI.create("https://r/v2/"), TEAM_APP, RegistryOperation.PULL))
			.withMessageContaining("Bearer");
	}

	@Test
	void refreshTokenGrantIsAFormPost() {
		TokenRequest request = TokenRequest
			.of(URI.create("https://r/token?account=x"), "r", TEAM_APP, RegistryOperation.PUSH, List.of())
			.withRefreshToken("identity-secret");
		assertThat(request.method()).isEqualTo(HttpMethod.POST);
		assertThat(request.uri()).isEqualTo(URI.create("https://r/token?account=x"));
		assertThat(request.formData().toSingleValueMap()).containsExactly(entry("grant_type", "refresh_token"),
				entry("service", "r"), entry("scope", "repository:team/app:pull,push"),
				entry("client_id", "oci-token-cache"), entry("refresh_token", "identity-secret"));
		assertThat(request.usesRefreshToken()).isTrue();
	}

	@Test
	void refreshTokenGrantJoinsScopesWithSpacesAndOmitsAnUnknownService() {
		TokenRequest request = TokenRequest
			.of(REALM, null, ImageReference.of("r", "demo/app"), RegistryOperation.PUSH,
					TokenScope.parseList("repository:other/repo:pull repository:demo/app:push,pull"))
			.withRefreshToken("identity-secret");
		assertThat(request.formData()).doesNotContainKey("service");
		assertThat(request.formData().get("scope"))
			.containsExactly("repository:demo/app:pull,push repository:other/repo:pull");
	}

	@Test
	void toStringNeverShowsTheRefreshToken() {
		TokenRequest request = TokenRequest.of(REALM, "r", TEAM_APP, RegistryOperation.PULL, List.of())
			.withRefreshToken("identity-secret");
		assertThat(request.toString()).doesNotContain("identity-secret").contains("POST").contains("https://r/token");
	}

	private static AuthChallenge challenge(String line) {
		AuthChallenge challenge = WwwAuthenticate.parse(List.of(line)).preferredChallenge();
		assertThat(challenge).isNotNull();
		return challenge;
	}

	private static MultiValueMap<String, String> query(TokenRequest request) {
		return UriComponentsBuilder.fromUri(request.uri())
			.build(true)
			.getQueryParams()
			.entrySet()
			.stream()
			.collect(LinkedMultiValueMap::new,
					(map, entry) -> entry.getValue().forEach((value) -> map.add(decode(entry.getKey()), decode(value))),
					LinkedMultiValueMap::addAll);
	}

	private static String decode(String value) {
		return UriUtils.decode(value, StandardCharsets.UTF_8);
	}

}
