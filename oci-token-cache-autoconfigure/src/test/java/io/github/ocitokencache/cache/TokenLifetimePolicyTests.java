package io.github.ocitokencache.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TokenLifetimePolicy}: the lifetimes of section 2 of the behaviour
 * cases (L01 to L12, L14, L15). Hand-out behaviour in the cache itself, with L08 and L13,
 * is in {@link TokenCacheTests}.
 *
 * @author oci-token-cache team
 */
class TokenLifetimePolicyTests {

	private static final long NOW = 1_800_000_000L;

	private static final Duration D = Duration.ofSeconds(60);

	private static final Duration MAX = Duration.ofHours(1);

	private final TokenLifetimePolicy policy = new TokenLifetimePolicy(D, Duration.ZERO, MAX, new TokenClaimsReader());

	@ParameterizedTest(name = "L01 {0}")
	@DisplayName("L01 an opaque token gets the default lifetime")
	@ValueSource(strings = { "ghs_0123456789abcdefghijABCDEFGHIJ012345", "gho_Zz9", "opaque", "a.b" })
	void l01OpaqueTokenGetsTheDefaultLifetime(String token) {
		assertThat(lifetime(token)).isEqualTo(D);
	}

	@ParameterizedTest(name = "L02 {0}")
	@DisplayName("L02 a JWT without exp gets the default lifetime")
	@ValueSource(strings = { "{\"sub\":\"x\"}", "{\"iat\":1800000000}", "{\"nbf\":1800000000,\"access\":[]}" })
	void l02JwtWithoutExpGetsTheDefaultLifetime(String payload) {
		assertThat(lifetime(Jwts.signed(payload))).isEqualTo(D);
	}

	@ParameterizedTest(name = "L03 exp now+{0}")
	@DisplayName("L03 a JWT with exp only lives until exp")
	@ValueSource(longs = { 300, 1, 3599 })
	void l03JwtWithExpOnlyLivesUntilExp(long seconds) {
		assertThat(lifetime(Jwts.signed("{\"exp\":" + (NOW + seconds) + "}"))).isEqualTo(Duration.ofSeconds(seconds));
	}

	@ParameterizedTest(name = "L04 iat {0}, exp {1}, local clock {2}")
	@DisplayName("L04 a JWT with iat and exp lives exp - iat, whatever the local clock says")
	@CsvSource({ "1741684678, 1741684978, 1741680000, 300", "1741684678, 1741684978, 1741690000, 300",
			"1800000000, 1800000120, 1700000000, 120" })
	void l04JwtWithIatAndExpLivesRelativeToIat(long iat, long exp, long localClock, long expected) {
		String token = Jwts.signed("{\"iat\":" + iat + ",\"exp\":" + exp + "}");
		assertThat(this.policy.lifetime(BearerToken.of(token), Instant.ofEpochSecond(localClock)))
			.isEqualTo(Duration.ofSeconds(expected));
	}

	@Test
	@DisplayName("L05 a fractional exp is truncated to whole seconds and capped")
	void l05FractionalExpIsTruncatedAndCapped() {
		String token = Jwts.signed("{\"exp\":1999999999.7}");
		assertThat(lifetime(token)).isEqualTo(MAX);
		TokenLifetimePolicy longCap = new TokenLifetimePolicy(D, Duration.ZERO, Duration.ofDays(36500),
				new TokenClaimsReader());
		assertThat(longCap.lifetime(BearerToken.of(token), Instant.ofEpochSecond(NOW)))
			.isEqualTo(Duration.ofSeconds(1999999999L - NOW));
		assertThat(lifetime(Jwts.signed("{\"exp\":" + (NOW + 300) + ".9}"))).isEqualTo(Duration.ofSeconds(300));
	}

	@ParameterizedTest(name = "L06 exp {0}")
	@DisplayName("L06 an exp of the wrong type gives the default lifetime")
	@ValueSource(strings = { "\"1999999999\"", "true", "[1999999999]", "{\"t\":1}" })
	void l06ExpOfWrongTypeGivesTheDefaultLifetime(String exp) {
		assertThat(lifetime(Jwts.signed("{\"exp\":" + exp + "}"))).isEqualTo(D);
	}

	@ParameterizedTest(name = "L07 exp {0}")
	@DisplayName("L07 an exp far in the future is capped without overflow")
	@ValueSource(strings = { "99999999999999", "9223372036854775807", "18446744073709551616", "1e300" })
	void l07FarFutureExpIsCappedWithoutOverflow(String exp) {
		assertThat(lifetime(Jwts.signed("{\"exp\":" + exp + "}"))).isEqualTo(MAX);
		assertThat(lifetime(Jwts.signed("{\"iat\":1,\"exp\":" + exp + "}"))).isEqualTo(MAX);
	}

	@ParameterizedTest(name = "L08 exp now-{0}")
	@DisplayName("L08 a JWT that expired before it arrived has a negative lifetime")
	@ValueSource(longs = { 10, 1, 100000 })
	void l08JwtExpiredOnArrivalHasNegativeLifetime(long secondsAgo) {
		assertThat(lifetime(Jwts.signed("{\"exp\":" + (NOW - secondsAgo) + "}")))
			.isEqualTo(Duration.ofSeconds(-secondsAgo));
	}

	@Test
	@DisplayName("L09 an unsigned JWT's claims are read")
	void l09UnsignedJwtClaimsAreRead() {
		String token = "eyJhbGciOiJub25lIn0." + Jwts.segment("{\"exp\":" + (NOW + 300) + "}") + ".";
		assertThat(lifetime(token)).isEqualTo(Duration.ofSeconds(300));
		assertThat(lifetime(Jwts.unsigned("{\"iat\":" + NOW + ",\"exp\":" + (NOW + 42) + "}")))
			.isEqualTo(Duration.ofSeconds(42));
	}

	@Test
	@DisplayName("L10 a base64url payload with '-' and '_' is decoded")
	void l10Base64UrlPayloadIsDecoded() {
		String payload = payloadWithBase64UrlCharacters(NOW + 300);
		String token = Jwts.signed(payload);
		assertThat(token.split("\\.")[1]).contains("-").contains("_");
		assertThat(lifetime(token)).isEqualTo(Duration.ofSeconds(300));
	}

	@Test
	@DisplayName("L11 an encrypted JWT gets the default lifetime")
	void l11EncryptedJwtGetsTheDefaultLifetime() {
		String header = Jwts.segment("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\"}");
		assertThat(lifetime(header + ".a2V5.aXY.Y2lwaGVy.dGFn")).isEqualTo(D);
		assertThat(lifetime("a.b.c.d.e")).isEqualTo(D);
	}

	@ParameterizedTest(name = "L12 exp now+{0}, expires_in {1}")
	@DisplayName("L12 the smallest of expires_in and the JWT's lifetime wins")
	@CsvSource({ "600, 120, 120", "100, 300, 100", "300, 300, 300" })
	void l12SmallestLifetimeWins(long expSeconds, long expiresIn, long expected) {
		String token = Jwts.signed("{\"exp\":" + (NOW + expSeconds) + "}");
		BearerToken bearer = new BearerToken(token, null, Duration.ofSeconds(expiresIn), null);
		assertThat(this.policy.lifetime(bearer, Instant.ofEpochSecond(NOW))).isEqualTo(Duration.ofSeconds(expected));
	}

	@Test
	@DisplayName("L12 expires_in alone sets the lifetime of an opaque token, capped at the maximum")
	void l12ExpiresInAloneSetsTheLifetime() {
		assertThat(this.policy.lifetime(new BearerToken("opaque", null, Duration.ofSeconds(90), null),
				Instant.ofEpochSecond(NOW)))
			.isEqualTo(Duration.ofSeconds(90));
		assertThat(this.policy.lifetime(new BearerToken("opaque", null, Duration.ofDays(2), null),
				Instant.ofEpochSecond(NOW)))
			.isEqualTo(MAX);
	}

	@ParameterizedTest(name = "margin {0} ms, lifetime {1} ms: handed out {2} ms")
	@DisplayName("L14, L15 the margin never takes more than half the lifetime")
	@CsvSource({ "10000, 60000, 50000", "30000, 20000, 10000", "0, 60000, 60000", "10000, 20000, 10000",
			"10000, 21000, 11000", "5000, 1000, 500", "10000, -10000, -10000" })
	void l14L15MarginNeverTakesMoreThanHalfTheLifetime(long margin, long lifetime, long expected) {
		TokenLifetimePolicy withMargin = new TokenLifetimePolicy(D, Duration.ofMillis(margin), MAX,
				new TokenClaimsReader());
		assertThat(withMargin.handOutPeriod(Duration.ofMillis(lifetime))).isEqualTo(Duration.ofMillis(expected));
	}

	private Duration lifetime(String token) {
		return this.policy.lifetime(BearerToken.of(token), Instant.ofEpochSecond(NOW));
	}

	/**
	 * Return a payload with the given {@code exp} whose base64url form holds both
	 * {@code -} and {@code _}, the two characters in which it differs from base64. Three
	 * {@code '>'} bytes aligned on a 3-byte boundary encode to a final {@code -}, three
	 * {@code '?'} bytes to a final {@code _}; one of three paddings gives the alignment.
	 */
	static String payloadWithBase64UrlCharacters(long exp) {
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		for (int padding = 0; padding < 3; padding++) {
			String payload = "{\"exp\":" + exp + ",\"sub\":\"" + "x".repeat(padding) + ">>>???\"}";
			String encoded = encoder.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
			if (encoded.contains("-") && encoded.contains("_")) {
				return payload;
			}
		}
		throw new IllegalStateException("No padding gives both base64url characters");
	}

}
