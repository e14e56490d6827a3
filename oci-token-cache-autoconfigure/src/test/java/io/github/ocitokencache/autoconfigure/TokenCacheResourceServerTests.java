package io.github.ocitokencache.autoconfigure;

import io.github.ocitokencache.cache.TokenClaimsReader;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that the token cache leaves an OAuth2 resource server's {@link JwtDecoder} to
 * Spring Boot: the no-verify decoder that reads registry tokens must never be the one
 * that authenticates requests.
 *
 * @author oci-token-cache team
 */
class TokenCacheResourceServerTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenCacheAutoConfiguration.class, SecurityAutoConfiguration.class,
				ServletWebSecurityAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class))
		.withPropertyValues("spring.security.oauth2.resourceserver.jwt.jwk-set-uri=https://issuer.example.com/jwks");

	@Test
	void resourceServerStillGetsItsOwnVerifyingJwtDecoder() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(JwtDecoder.class).hasSingleBean(TokenClaimsReader.class);
			assertThat(context.getBeanNamesForType(JwtDecoder.class)).containsExactly("jwtDecoderByJwkKeySetUri");
			assertThat(context.getBean(JwtDecoder.class)).isInstanceOf(NimbusJwtDecoder.class);
		});
	}

	@Test
	void resourceServerDecoderRejectsATokenTheClaimsReaderAccepts() {
		String unsigned = "eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTcwMDAwMDAwMH0.";
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(TokenClaimsReader.class).read(unsigned).expiresAt()).isNotNull();
			assertThatExceptionOfType(JwtException.class)
				.isThrownBy(() -> context.getBean(JwtDecoder.class).decode(unsigned));
		});
	}

}
