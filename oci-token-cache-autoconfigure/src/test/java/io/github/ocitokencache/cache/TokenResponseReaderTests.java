package io.github.ocitokencache.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link TokenResponseReader}: section 1 of the behaviour cases (T01 to T12).
 *
 * @author oci-token-cache team
 */
class TokenResponseReaderTests {

	private static final String JSON = "application/json";

	private final TokenResponseReader reader = new TokenResponseReader();

	@Test
	@DisplayName("T01 access_token alone is the bearer token")
	void t01AccessTokenAloneIsTheToken() {
		assertThat(read("{\"access_token\":\"A\"}").token()).isEqualTo("A");
		assertThat(read("{\"access_token\":\"eyJ.x.y\",\"scope\":\"repository:a:pull\"}").token()).isEqualTo("eyJ.x.y");
	}

	@Test
	@DisplayName("T02 token wins over access_token")
	void t02TokenWinsOverAccessToken() {
		assertThat(read("{\"token\":\"A\",\"access_token\":\"B\"}").token()).isEqualTo("A");
		assertThat(read("{\"access_token\":\"B\",\"token\":\"A\"}").token()).isEqualTo("A");
	}

	@ParameterizedTest(name = "T03 {0}")
	@DisplayName("T03 an empty or non-string token counts as missing")
	@ValueSource(strings = { "{\"token\":\"\",\"access_token\":\"B\"}", "{\"token\":null,\"access_token\":\"B\"}",
			"{\"token\":42,\"access_token\":\"B\"}", "{\"token\":{},\"access_token\":\"B\"}" })
	void t03EmptyTokenCountsAsMissing(String body) {
		assertThat(read(body).token()).isEqualTo("B");
	}

	@ParameterizedTest(name = "T04 {0}")
	@DisplayName("T04 a response without a token is an error")
	@ValueSource(strings = { "{\"expires_in\":300}", "{}", "{\"token\":\"\",\"access_token\":\"\"}",
			"{\"access_token\":[\"A\"]}" })
	void t04ResponseWithoutTokenIsAnError(String body) {
		assertThatExceptionOfType(TokenResponseException.class).isThrownBy(() -> read(body))
			.withMessageContaining("holds no token")
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(200));
	}

	@Test
	@DisplayName("T05 a numeric string expires_in is a lifetime")
	void t05NumericStringExpiresInIsALifetime() {
		BearerToken token = read("{\"token\":\"A\",\"expires_in\":\"300\"}");
		assertThat(token.token()).isEqualTo("A");
		assertThat(token.expiresIn()).isEqualTo(Duration.ofSeconds(300));
		assertThat(read("{\"token\":\"A\",\"expires_in\":7200}").expiresIn()).isEqualTo(Duration.ofHours(2));
	}

	@ParameterizedTest(name = "T05 expires_in {0}")
	@DisplayName("T05 a fractional expires_in counts in whole seconds")
	@ValueSource(strings = { "3600.5", "\"3600.0\"", "\" 3600.9 \"", "3.6e3" })
	void t05FractionalExpiresInCountsInWholeSeconds(String expiresIn) {
		assertThat(read("{\"token\":\"A\",\"expires_in\":" + expiresIn + "}").expiresIn())
			.isEqualTo(Duration.ofSeconds(3600));
	}

	@Test
	@DisplayName("T05 an expires_in beyond what a long holds is kept as the longest lifetime")
	void t05HugeExpiresInIsKeptWithoutOverflow() {
		assertThat(read("{\"token\":\"A\",\"expires_in\":1e30}").expiresIn())
			.isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
		assertThat(read("{\"token\":\"A\",\"expires_in\":\"99999999999999999999999\"}").expiresIn())
			.isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
	}

	@ParameterizedTest(name = "T06 expires_in {0}")
	@DisplayName("T06 a malformed expires_in is ignored")
	@ValueSource(strings = { "\"soon\"", "\"\"", "true", "[300]", "{\"s\":300}", "\"3e2x\"", "1e400" })
	void t06MalformedExpiresInIsIgnored(String expiresIn) {
		BearerToken token = read("{\"token\":\"A\",\"expires_in\":" + expiresIn + "}");
		assertThat(token.token()).isEqualTo("A");
		assertThat(token.expiresIn()).isNull();
	}

	@ParameterizedTest(name = "T07 expires_in {0}")
	@DisplayName("T07 a zero or negative expires_in means unknown")
	@ValueSource(strings = { "-5", "0", "\"-5\"", "\"0\"", "0.5" })
	void t07NonPositiveExpiresInMeansUnknown(String expiresIn) {
		BearerToken token = read("{\"token\":\"A\",\"expires_in\":" + expiresIn + "}");
		assertThat(token.token()).isEqualTo("A");
		assertThat(token.expiresIn()).isNull();
	}

	@ParameterizedTest(name = "T08 issued_at {0}")
	@DisplayName("T08 an issued_at that is not RFC 3339 is ignored")
	@ValueSource(strings = { "\"1457510670\"", "1457510670", "\"yesterday\"", "\"2016-12-13\"" })
	void t08IssuedAtThatIsNotRfc3339IsIgnored(String issuedAt) {
		BearerToken token = read("{\"token\":\"A\",\"issued_at\":" + issuedAt + "}");
		assertThat(token.token()).isEqualTo("A");
		assertThat(token.issuedAt()).isNull();
	}

	@Test
	@DisplayName("T09 an RFC 3339 issued_at is read and expires_in is the lifetime")
	void t09Rfc3339IssuedAtIsReadAndExpiresInIsTheLifetime() {
		BearerToken token = read(
				"{\"token\":\"A\",\"issued_at\":\"2016-12-13T13:18:39.458+00:00\",\"expires_in\":300}");
		assertThat(token.token()).isEqualTo("A");
		assertThat(token.expiresIn()).isEqualTo(Duration.ofSeconds(300));
		assertThat(token.issuedAt()).isEqualTo(Instant.parse("2016-12-13T13:18:39.458Z"));
		assertThat(read("{\"token\":\"A\",\"issued_at\":\"2026-12-03T18:11:39Z\"}").issuedAt())
			.isEqualTo(Instant.parse("2026-12-03T18:11:39Z"));
	}

	@Test
	@DisplayName("T10 unknown fields such as expires_at are ignored")
	void t10UnknownFieldsAreIgnored() {
		BearerToken token = read("{\"token\":\"A\",\"expires_at\":\"2030-01-01T00:00:00Z\",\"extra\":{\"x\":[1]}}");
		assertThat(token.token()).isEqualTo("A");
		assertThat(token.expiresIn()).isNull();
	}

	@Test
	@DisplayName("T11 a body that is not JSON is an error naming status and content type, not echoing the body")
	void t11NonJsonBodyIsAnErrorNamingStatusAndContentType() {
		assertThatExceptionOfType(TokenResponseException.class)
			.isThrownBy(() -> this.reader.read(502, "text/html", bytes("<html>bad gateway</html>")))
			.withMessageContaining("502")
			.withMessageContaining("text/html")
			.withMessageNotContaining("bad gateway")
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(502));
		assertThatExceptionOfType(TokenResponseException.class)
			.isThrownBy(() -> this.reader.read(200, "text/plain; charset=utf-8", bytes("secret-looking text")))
			.withMessageContaining("200")
			.withMessageContaining("text/plain")
			.withMessageNotContaining("secret-looking");
		assertThatExceptionOfType(TokenResponseException.class)
			.isThrownBy(() -> this.reader.read(200, null, bytes("[\"A\"]")))
			.withMessageContaining("not a JSON token response");
		assertThatExceptionOfType(TokenResponseException.class).isThrownBy(() -> this.reader.read(200, JSON, bytes("")))
			.withMessageContaining("200");
		assertThatExceptionOfType(TokenResponseException.class).isThrownBy(() -> this.reader.read(204, null, null))
			.withMessageContaining("204")
			.withMessageContaining("(none)");
	}

	@Test
	@DisplayName("T11 a refused request carries the status and the registry's error code, never the body")
	void t11RefusedRequestCarriesStatusAndErrorCode() {
		String distribution = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}";
		assertThatExceptionOfType(TokenResponseException.class)
			.isThrownBy(() -> this.reader.read(401, JSON, bytes(distribution)))
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(401))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo("UNAUTHORIZED"))
			.withMessageNotContaining("authentication required");
		assertThatExceptionOfType(TokenResponseException.class)
			.isThrownBy(() -> this.reader.read(400, JSON, bytes("{\"error\":\"invalid_grant\",\"token\":\"T\"}")))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo("invalid_grant"));
		assertThatExceptionOfType(TokenResponseException.class)
			.isThrownBy(() -> this.reader.read(503, "text/html", bytes("<html>down</html>")))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isNull())
			.withMessageContaining("503");
	}

	@ParameterizedTest(name = "T11 error {0}")
	@DisplayName("T11 an error field that is free text rather than a code is not carried on")
	@ValueSource(strings = { "bad creds for robot:PASSWORD-SECRET", "line\\nFORGED LOG LINE", "", "42" })
	void t11FreeTextErrorIsNotCarriedOn(String error) {
		byte[] body = bytes("{\"error\":\"" + error + "\"}");
		assertThatExceptionOfType(TokenResponseException.class).isThrownBy(() -> this.reader.read(401, JSON, body))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isNull())
			.withMessageNotContaining("SECRET")
			.withMessageNotContaining("FORGED");
		byte[] longCode = bytes("{\"errors\":[{\"code\":\"" + "A".repeat(2000) + "\"}]}");
		assertThatExceptionOfType(TokenResponseException.class).isThrownBy(() -> this.reader.read(401, JSON, longCode))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isNull());
	}

	@Test
	@DisplayName("T12 a refresh token is available to the caller and neither token appears in toString")
	void t12RefreshTokenIsAvailableAndRedacted() {
		BearerToken token = read("{\"token\":\"Atoken-text\",\"refresh_token\":\"Rrefresh-text\"}");
		assertThat(token.token()).isEqualTo("Atoken-text");
		assertThat(token.refreshToken()).isEqualTo("Rrefresh-text");
		assertThat(token.toString()).doesNotContain("Atoken-text")
			.doesNotContain("Rrefresh-text")
			.contains("<redacted>");
	}

	private BearerToken read(String body) {
		return this.reader.read(200, JSON, bytes(body));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
