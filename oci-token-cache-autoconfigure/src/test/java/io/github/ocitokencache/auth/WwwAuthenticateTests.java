package io.github.ocitokencache.auth;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link WwwAuthenticate} and {@link AuthChallenge}: section 4 of the behaviour
 * cases (W01 to W10) and other inputs of the same kinds.
 *
 * @author oci-token-cache team
 */
class WwwAuthenticateTests {

	@Test
	@DisplayName("W01 quoted realm, service and scope")
	void quotedParametersAreRead() {
		AuthChallenge challenge = preferred(
				"Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
						+ "scope=\"repository:team/app:pull,push\"");
		assertThat(challenge.isBearer()).isTrue();
		assertThat(challenge.realm()).isEqualTo("https://auth.example.com/token");
		assertThat(challenge.service()).isEqualTo("registry.example.com");
		assertThat(challenge.scope()).isEqualTo("repository:team/app:pull,push");
		assertThat(challenge.scopes()).extracting(TokenScope::toString)
			.containsExactly("repository:team/app:pull,push");
	}

	@ParameterizedTest(name = "W01 kind: {0}")
	@ValueSource(strings = {
			"Bearer realm=\"https://auth.example.com/token\", service=\"registry.example.com\", "
					+ "scope=\"repository:team/app:pull,push\"",
			"bearer REALM=\"https://auth.example.com/token\" , Service = \"registry.example.com\","
					+ "SCOPE=\"repository:team/app:pull,push\"",
			"  Bearer   realm=\"https://auth.example.com/token\",,service=\"registry.example.com\","
					+ "scope=\"repository:team/app:pull,push\"  ",
			"Bearer\trealm=\"https://auth.example.com/token\",\tservice=registry.example.com,"
					+ "scope=\"repository:team/app:pull,push\"",
			"Bearer scope=\"repository:team/app:pull,push\",service=\"registry.example.com\","
					+ "realm=\"https://auth.example.com/token\"" })
	void quotingSpacingCaseAndOrderDoNotMatter(String line) {
		AuthChallenge challenge = preferred(line);
		assertThat(challenge.isBearer()).isTrue();
		assertThat(challenge.realm()).isEqualTo("https://auth.example.com/token");
		assertThat(challenge.service()).isEqualTo("registry.example.com");
		assertThat(challenge.scope()).isEqualTo("repository:team/app:pull,push");
	}

	@Test
	@DisplayName("W02 unquoted values run to the next comma or space")
	void unquotedValuesAreRead() {
		AuthChallenge challenge = preferred(
				"Bearer realm=https://auth.example.com/token, service=registry.example.com");
		assertThat(challenge.isBearer()).isTrue();
		assertThat(challenge.realm()).isEqualTo("https://auth.example.com/token");
		assertThat(challenge.service()).isEqualTo("registry.example.com");
		assertThat(challenge.scope()).isNull();
	}

	@Test
	@DisplayName("W02 kind: unquoted values separated by spaces only, and holding '='")
	void unquotedValuesMayBeSeparatedBySpacesAndHoldEquals() {
		AuthChallenge challenge = preferred(
				"Bearer realm=https://auth.example.com/token?a=b service=registry.example.com");
		assertThat(challenge.realm()).isEqualTo("https://auth.example.com/token?a=b");
		assertThat(challenge.service()).isEqualTo("registry.example.com");
	}

	@Test
	@DisplayName("W03 scheme names are case-insensitive")
	void upperCaseBasicIsBasic() {
		AuthChallenge challenge = preferred("BASIC realm=\"Sonatype Nexus Repository Manager\"");
		assertThat(challenge.isBasic()).isTrue();
		assertThat(challenge.scheme()).isEqualTo("BASIC");
		assertThat(challenge.realm()).isEqualTo("Sonatype Nexus Repository Manager");
	}

	@ParameterizedTest(name = "W03 kind: {0}")
	@ValueSource(strings = { "basic realm=\"x\"", "Basic realm=\"x\"", "bAsIc realm=\"x\"" })
	void basicInAnyCaseIsBasic(String line) {
		assertThat(preferred(line).isBasic()).isTrue();
		assertThat(preferred(line).hasScheme("BASIC")).isTrue();
	}

	@Test
	@DisplayName("W04 unquoted realm '/'")
	void slashRealmIsKept() {
		AuthChallenge challenge = preferred("Basic realm=/");
		assertThat(challenge.isBasic()).isTrue();
		assertThat(challenge.realm()).isEqualTo("/");
	}

	@Test
	@DisplayName("W05 Bearer preferred after Basic on one line")
	void bearerIsChosenOverBasicOnOneLine() {
		WwwAuthenticate header = WwwAuthenticate
			.parse(List.of("Basic realm=\"registry\", Bearer realm=\"https://r.example/token\",service=\"r.example\""));
		assertThat(header.challenges()).extracting(AuthChallenge::scheme).containsExactly("Basic", "Bearer");
		assertThat(header.challenges().get(0).realm()).isEqualTo("registry");
		AuthChallenge preferred = header.preferredChallenge();
		assertThat(preferred).isNotNull();
		assertThat(preferred.isBearer()).isTrue();
		assertThat(preferred.realm()).isEqualTo("https://r.example/token");
		assertThat(preferred.service()).isEqualTo("r.example");
	}

	static Stream<Arguments> bearerWhereverItStands() {
		return Stream.of(lines("Bearer first", "Bearer realm=\"https://r.example/token\", Basic realm=\"registry\""),
				lines("Bearer last, no comma", "Basic realm=registry Bearer realm=https://r.example/token"),
				lines("Bearer between", "Negotiate, Basic realm=\"a, b\", Bearer realm=\"https://r.example/token\""),
				lines("separate lines, Bearer second", "Basic realm=\"registry\"",
						"Bearer realm=\"https://r.example/token\""),
				lines("separate lines, Bearer first", "Bearer realm=\"https://r.example/token\"",
						"Basic realm=\"registry\""));
	}

	@ParameterizedTest(name = "W05 kind: {0}")
	@MethodSource("bearerWhereverItStands")
	void bearerIsChosenWhereverItStands(String description, String[] lines) {
		AuthChallenge challenge = preferred(lines);
		assertThat(challenge.isBearer()).isTrue();
		assertThat(challenge.realm()).isEqualTo("https://r.example/token");
	}

	@Test
	@DisplayName("W06 Basic chosen over an unknown scheme on another line")
	void basicIsChosenWhenNoBearer() {
		WwwAuthenticate header = WwwAuthenticate.parse(List.of("Negotiate", "Basic realm=\"corp\""));
		assertThat(header.challenges()).extracting(AuthChallenge::scheme).containsExactly("Negotiate", "Basic");
		assertThat(header.challenges().get(0).parameters()).isEmpty();
		AuthChallenge challenge = header.preferredChallenge();
		assertThat(challenge).isNotNull();
		assertThat(challenge.isBasic()).isTrue();
		assertThat(challenge.realm()).isEqualTo("corp");
	}

	@Test
	@DisplayName("W06 kind: token68 and parameterless challenges are tolerated")
	void token68AndParameterlessChallengesAreTolerated() {
		WwwAuthenticate header = WwwAuthenticate
			.parse(List.of("Negotiate YII+/abc==, NTLM, Basic realm=\"corp\"", "Digest realm=\"d\", nonce=\"n\""));
		assertThat(header.challenges()).extracting(AuthChallenge::scheme)
			.containsExactly("Negotiate", "NTLM", "Basic", "Digest");
		assertThat(header.challenges().get(0).token68()).isEqualTo("YII+/abc==");
		assertThat(header.challenges().get(0).parameters()).isEmpty();
		assertThat(header.challenges().get(3).parameters()).containsEntry("nonce", "n");
		assertThat(preferred("Negotiate YII+/abc==, NTLM, Basic realm=\"corp\"").isBasic()).isTrue();
	}

	@Test
	@DisplayName("W06 kind: only unknown schemes means no preferred challenge")
	void onlyUnknownSchemesGiveNoPreferredChallenge() {
		WwwAuthenticate header = WwwAuthenticate.parse(List.of("Negotiate", "Digest realm=\"d\""));
		assertThat(header.challenges()).hasSize(2);
		assertThat(header.preferredChallenge()).isNull();
	}

	@Test
	@DisplayName("W07 a relative realm is resolved against the request URL")
	void relativeRealmIsResolvedAgainstRequestUrl() {
		AuthChallenge challenge = preferred("Bearer realm=\"/zot/auth/token\",service=\"zot\"");
		URI realm = challenge.resolveRealm(URI.create("https://zot.example:8443/v2/app/tags/list"));
		assertThat(realm).isEqualTo(URI.create("https://zot.example:8443/zot/auth/token"));
	}

	static Stream<Arguments> realms() {
		return Stream.of(Arguments.of("https://auth.example.com/token", "https://auth.example.com/token"),
				Arguments.of("/token?service=x", "https://zot.example:8443/token?service=x"),
				Arguments.of("//auth.example.com/token", "https://auth.example.com/token"),
				Arguments.of("token", "https://zot.example:8443/v2/app/tags/token"),
				Arguments.of("https://auth.example.com/token#fragment", "https://auth.example.com/token"));
	}

	@ParameterizedTest(name = "W07 kind: {0} -> {1}")
	@MethodSource("realms")
	void realmIsResolvedAgainstRequestUrl(String realm, String expected) {
		AuthChallenge challenge = preferred("Bearer realm=\"" + realm + "\"");
		assertThat(challenge.resolveRealm(URI.create("https://zot.example:8443/v2/app/tags/list")))
			.isEqualTo(URI.create(expected));
	}

	@ParameterizedTest(name = "W07 kind: unusable realm {0}")
	@ValueSource(strings = { "Bearer service=\"x\"", "Bearer realm=\"\"", "Bearer realm=\"not a uri\"",
			"Bearer realm=\"ftp://auth.example.com/token\"", "Bearer realm=\"https://user:pw@auth.example.com/token\"",
			"Bearer realm=\"https:///token\"" })
	void unusableRealmIsRejectedWithClearMessage(String line) {
		AuthChallenge challenge = preferred(line);
		assertThatExceptionOfType(InvalidChallengeException.class)
			.isThrownBy(() -> challenge.resolveRealm(URI.create("https://registry.example.com/v2/")))
			.withMessageStartingWith("Bearer challenge")
			.withMessageNotContaining("pw@");
	}

	@Test
	@DisplayName("W08 no service parameter means no service")
	void missingServiceIsNull() {
		AuthChallenge challenge = preferred("Bearer realm=\"https://gar.example/v2/token\"");
		assertThat(challenge.service()).isNull();
		assertThat(challenge.parameters()).containsOnlyKeys("realm");
	}

	@Test
	@DisplayName("W08 kind: an empty service counts as missing")
	void emptyServiceIsNull() {
		assertThat(preferred("Bearer realm=\"https://gar.example/v2/token\",service=\"\"").service()).isNull();
	}

	@Test
	@DisplayName("W09 error parameter")
	void errorIsRead() {
		AuthChallenge challenge = preferred(
				"Bearer realm=\"https://r/token\",service=\"r\",scope=\"repository:a:pull\",error=\"invalid_token\"");
		assertThat(challenge.error()).isEqualTo("invalid_token");
		assertThat(challenge.scope()).isEqualTo("repository:a:pull");
	}

	@ParameterizedTest(name = "W09 kind: {0}")
	@ValueSource(strings = {
			"Bearer realm=\"http://127.0.0.1:46913/token\",service=\"test-registry\","
					+ "scope=\"repository:demo/app:push,pull\",error=\"insufficient_scope\"",
			"Bearer realm=\"http://127.0.0.1:46913/token\",service=\"test-registry\",error=\"insufficient_scope\"",
			"Bearer error=insufficient_scope, realm=\"http://127.0.0.1:46913/token\"" })
	void insufficientScopeIsRead(String line) {
		assertThat(preferred(line).error()).isEqualTo("insufficient_scope");
	}

	@Test
	@DisplayName("W10 an unrecognised scope is kept as it is")
	void unrecognisedScopeIsKept() {
		AuthChallenge challenge = preferred(
				"Bearer realm=\"https://public.example/token/\",service=\"public.example\",scope=\"aws\"");
		assertThat(challenge.scope()).isEqualTo("aws");
		assertThat(challenge.scopes()).singleElement().satisfies((scope) -> {
			assertThat(scope.isResource()).isFalse();
			assertThat(scope).hasToString("aws");
		});
	}

	@Test
	void quotedValuesHoldCommasSpacesAndEscapedQuotes() {
		AuthChallenge challenge = preferred(
				"Basic realm=\"say \\\"hello\\\", world\", charset=\"UTF-8\", Bearer realm=\"https://r/t\"");
		WwwAuthenticate header = WwwAuthenticate.parse(
				List.of("Basic realm=\"say \\\"hello\\\", world\", charset=\"UTF-8\", Bearer realm=\"https://r/t\""));
		assertThat(header.challenges()).hasSize(2);
		assertThat(header.challenges().get(0).realm()).isEqualTo("say \"hello\", world");
		assertThat(header.challenges().get(0).parameter("CHARSET")).isEqualTo("UTF-8");
		assertThat(challenge.realm()).isEqualTo("https://r/t");
	}

	@Test
	void distributionMountChallengeKeepsBothResources() {
		AuthChallenge challenge = preferred("Bearer realm=\"http://127.0.0.1:46913/token\",service=\"test-registry\","
				+ "scope=\"repository:demo/app:pull,push repository:other/repo:pull\"");
		assertThat(challenge.scopes()).extracting(TokenScope::toString)
			.containsExactly("repository:demo/app:pull,push", "repository:other/repo:pull");
	}

	@Test
	void severalLinesAreAllRead() {
		WwwAuthenticate header = WwwAuthenticate.parse(List.of("Negotiate", "", "Basic realm=\"a\", Basic realm=\"b\"",
				"Bearer realm=\"https://r/t\", error=\"invalid_token\""));
		assertThat(header.challenges()).extracting(AuthChallenge::realm).containsExactly(null, "a", "b", "https://r/t");
	}

	@Test
	void firstOfRepeatedParametersWins() {
		assertThat(preferred("Bearer realm=\"https://a/t\", realm=\"https://b/t\"").realm()).isEqualTo("https://a/t");
	}

	@Test
	void headersAreReadCaseInsensitively() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("Www-Authenticate", "Basic realm=\"basic-realm\"");
		headers.add("WWW-Authenticate", "Bearer realm=\"https://r/t\"");
		WwwAuthenticate header = WwwAuthenticate.from(headers);
		assertThat(header.challenges()).hasSize(2);
		assertThat(header.preferredChallenge()).extracting(AuthChallenge::isBearer).isEqualTo(true);
	}

	@Test
	void noHeaderGivesNoChallenge() {
		assertThat(WwwAuthenticate.parse(List.of()).challenges()).isEmpty();
		assertThat(WwwAuthenticate.parse(null).preferredChallenge()).isNull();
		assertThat(WwwAuthenticate.from(new HttpHeaders()).isEmpty()).isTrue();
	}

	@ParameterizedTest(name = "malformed input is read leniently: [{0}]")
	@ValueSource(strings = { "", " ", ",", ",,,", "=", "==", "\"", "\\", "Bearer realm=\"unterminated",
			"Bearer realm=\"ends with backslash\\", "Bearer realm=", "Bearer realm", "Bearer =x", "Bearer ,=,\"",
			"realm=\"no scheme\"", "Bearer realm=\"a\"junk=1", "Bearer \"quoted\"", "Bearer realm=\"x\",, ,scope=",
			"\u0000\u0001Bearer\u0007", "Bearer realm=\"\u00e9\u00e8\"" })
	void malformedInputNeverThrows(String line) {
		assertThatNoException().isThrownBy(() -> {
			WwwAuthenticate header = WwwAuthenticate.parse(Arrays.asList(line, null));
			for (AuthChallenge challenge : header.challenges()) {
				challenge.scopes();
				challenge.toString();
			}
		});
	}

	@Test
	void unterminatedQuotedValueRunsToTheEndOfTheLine() {
		assertThat(preferred("Bearer realm=\"https://r/t, service=x").realm()).isEqualTo("https://r/t, service=x");
	}

	@Test
	void parameterWithoutSchemeIsIgnored() {
		WwwAuthenticate header = WwwAuthenticate.parse(List.of("realm=\"x\", Basic realm=\"y\""));
		assertThat(header.challenges()).singleElement().extracting(AuthChallenge::realm).isEqualTo("y");
	}

	@Test
	void toStringShowsSchemeAndParameters() {
		assertThat(preferred("Bearer realm=\"https://r/t\",service=\"r\""))
			.hasToString("Bearer realm=\"https://r/t\", service=\"r\"");
	}

	private static Arguments lines(String description, String... lines) {
		return Arguments.of(description, lines);
	}

	private static AuthChallenge preferred(String... lines) {
		AuthChallenge challenge = WwwAuthenticate.parse(List.of(lines)).preferredChallenge();
		assertThat(challenge).as("preferred challenge of %s", List.of(lines)).isNotNull();
		return challenge;
	}

}
