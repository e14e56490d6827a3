package io.github.ocitokencache.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.github.ocitokencache.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that the cache's log lines, down to TRACE, never carry a token or a password.
 *
 * @author oci-token-cache team
 */
@ExtendWith(OutputCaptureExtension.class)
class TokenCacheLoggingTests {

	private static final String BEARER_SECRET = "bearer-secret-5f1e";

	private static final String REFRESH_SECRET = "refresh-secret-77aa";

	private static final String PASSWORD_SECRET = "password-secret-9c3d";

	private final Logger logger = (Logger) LoggerFactory.getLogger("io.github.ocitokencache");

	private Level previousLevel;

	@BeforeEach
	void enableTrace() {
		this.previousLevel = this.logger.getLevel();
		this.logger.setLevel(Level.TRACE);
	}

	@AfterEach
	void restoreLevel() {
		this.logger.setLevel(this.previousLevel);
	}

	@Test
	void noTokenOrPasswordTextReachesAnyLogLine(CapturedOutput output) {
		MutableClock clock = new MutableClock(1_800_000_000L);
		TokenCache cache = TokenCache.builder().clock(clock).maxEntries(2).build();
		ImageReference app = ImageReference.parse("ghcr.io/org/app");
		String jwt = Jwts.signed("{\"exp\":1800000300,\"sub\":\"" + BEARER_SECRET + "\"}");
		TokenResponseReader reader = new TokenResponseReader();
		BearerToken fromResponse = reader.read(200, "application/json",
				("{\"token\":\"" + jwt + "\",\"refresh_token\":\"" + REFRESH_SECRET + "\",\"expires_in\":\"soon\""
						+ ",\"issued_at\":\"" + BEARER_SECRET + "\"}")
					.getBytes(StandardCharsets.UTF_8));
		cache.put(app, RegistryOperation.PULL, fromResponse);
		cache.get(app, RegistryOperation.PULL);
		cache.get(app, RegistryOperation.PUSH, () -> BearerToken.of("opaque-" + BEARER_SECRET));
		cache.put(ImageReference.parse("localhost:5000/app"), RegistryOperation.PUSH,
				new BasicCredentials("alice", PASSWORD_SECRET));
		cache.put(ImageReference.parse("localhost:5000/other"), RegistryOperation.PULL,
				BearerToken.of("a.b.c.d." + BEARER_SECRET));
		cache.put(ImageReference.parse("localhost:5000/plain"), RegistryOperation.PULL,
				BearerToken.of(Jwts.unsigned("{\"exp\":\"" + BEARER_SECRET + "\"}")));
		clock.advance(Duration.ofMinutes(5));
		cache.get(app, RegistryOperation.PULL);
		cache.invalidate(app, RegistryOperation.PUSH);
		cache.invalidateRegistry("localhost:5000");
		cache.invalidateAll();
		assertThatExceptionOfType(TokenResponseException.class)
			.isThrownBy(() -> cache.get(app, RegistryOperation.PULL, () -> reader.read(401, "application/json",
					("{\"error\":\"bad password " + PASSWORD_SECRET + "\"}").getBytes(StandardCharsets.UTF_8))));
		assertThat(output.getAll()).doesNotContain("Exception thrown during asynchronous load");
		assertThat(output.getAll()).contains("registry=ghcr.io, repository=org/app, operation=PULL")
			.contains("Hit for")
			.contains("Expired for")
			.doesNotContain(BEARER_SECRET)
			.doesNotContain(REFRESH_SECRET)
			.doesNotContain(PASSWORD_SECRET)
			.doesNotContain(jwt.substring(0, 20));
	}

}
