package io.github.ocitokencache.cache;

import java.text.ParseException;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.JWTProcessor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Reads the {@code iat} and {@code exp} claims of a registry token without verifying its
 * signature, whatever its {@code alg} says. A registry token is opaque to its client:
 * only the registry can verify it, and the client reads the claims only to know how long
 * to keep it.
 * <p>
 * Signed tokens go through a Spring Security {@link NimbusJwtDecoder} built with a JWT
 * processor that only reads claims and a validator that accepts all. Unsigned
 * ({@code alg: none}) tokens, which that decoder refuses by design, have their claims
 * read by the same processor. A token whose claims cannot be read (not a JWT, encrypted,
 * or a claim of the wrong type) yields {@link TokenClaims#NONE}, never an exception.
 * <p>
 * This type is deliberately not a {@link JwtDecoder}: exposing a decoder that accepts any
 * signature as a bean could be picked up by an application's resource server.
 * <p>
 * Instances are thread-safe.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class TokenClaimsReader {

	private static final Log logger = LogFactory.getLog(TokenClaimsReader.class);

	/**
	 * NumericDate values beyond 9999-12-31T23:59:59Z are clamped to it before Nimbus
	 * turns seconds into milliseconds, which would overflow for large values.
	 */
	private static final long LATEST_NUMERIC_DATE = 253402300799L;

	private static final ClaimsOnlyJwtProcessor processor = new ClaimsOnlyJwtProcessor();

	private final JwtDecoder decoder;

	/**
	 * Create a reader backed by a no-verify {@link NimbusJwtDecoder}.
	 */
	public TokenClaimsReader() {
		this(createUnverifiedDecoder());
	}

	/**
	 * Create a reader backed by the given decoder, which must not verify signatures of
	 * registry tokens it cannot know the keys of.
	 * @param decoder the decoder to read signed and encrypted tokens with
	 */
	public TokenClaimsReader(JwtDecoder decoder) {
		this.decoder = decoder;
	}

	/**
	 * Create a {@link NimbusJwtDecoder} that reads claims without verifying signatures
	 * and accepts every token's claims.
	 * @return the decoder
	 */
	public static NimbusJwtDecoder createUnverifiedDecoder() {
		NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
		decoder.setJwtValidator((jwt) -> OAuth2TokenValidatorResult.success());
		Converter<Map<String, Object>, Map<String, Object>> defaults = MappedJwtClaimSetConverter
			.withDefaults(Collections.emptyMap());
		decoder.setClaimSetConverter((claims) -> withoutInventedIssuedAt(claims, defaults.convert(claims)));
		return decoder;
	}

	// Spring's default claim conversion invents iat = exp - 1s for a token without iat,
	// which would turn exp - now into a one-second lifetime.
	private static Map<String, Object> withoutInventedIssuedAt(Map<String, Object> claims,
			@Nullable Map<String, Object> converted) {
		Map<String, Object> result = new HashMap<>((converted != null) ? converted : claims);
		if (!claims.containsKey(JwtClaimNames.IAT)) {
			result.remove(JwtClaimNames.IAT);
		}
		return result;
	}

	/**
	 * Read the time claims of a token.
	 * @param token the token text
	 * @return its time claims, {@link TokenClaims#NONE} if it has none or they cannot be
	 * read
	 */
	public TokenClaims read(String token) {
		if (token.indexOf('.') < 0) {
			return TokenClaims.NONE;
		}
		try {
			Jwt jwt = this.decoder.decode(token);
			return new TokenClaims(jwt.getIssuedAt(), jwt.getExpiresAt());
		}
		catch (JwtException | IllegalArgumentException ex) {
			return readUnsigned(token);
		}
	}

	private static TokenClaims readUnsigned(String token) {
		try {
			if (JWTParser.parse(token) instanceof PlainJWT plain) {
				JWTClaimsSet claims = processor.process(plain, null);
				return new TokenClaims(toInstant(claims.getIssueTime()), toInstant(claims.getExpirationTime()));
			}
		}
		catch (ParseException | BadJOSEException ex) {
			// Not readable: the caller falls back to the default lifetime.
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Token claims cannot be read; its lifetime comes from the response or the default");
		}
		return TokenClaims.NONE;
	}

	private static @Nullable Instant toInstant(@Nullable Date date) {
		return (date != null) ? date.toInstant() : null;
	}

	/**
	 * A processor that returns a token's claims and checks nothing, clamping time claims
	 * to a range that converts to milliseconds without overflow.
	 */
	private static final class ClaimsOnlyJwtProcessor implements JWTProcessor<SecurityContext> {

		@Override
		public JWTClaimsSet process(String token, @Nullable SecurityContext context)
				throws ParseException, BadJOSEException {
			return process(JWTParser.parse(token), context);
		}

		@Override
		public JWTClaimsSet process(JWT jwt, @Nullable SecurityContext context) throws BadJOSEException {
			if (jwt instanceof EncryptedJWT) {
				throw new BadJOSEException("The claims of an encrypted token cannot be read without its key");
			}
			try {
				Map<String, Object> claims = ((JOSEObject) jwt).getPayload().toJSONObject();
				if (claims == null) {
					throw new BadJOSEException("The token's payload is not a JSON object");
				}
				clamp(claims, "exp");
				clamp(claims, "iat");
				clamp(claims, "nbf");
				return JWTClaimsSet.parse(claims);
			}
			catch (ParseException | ClassCastException ex) {
				throw new BadJOSEException("The token's claims cannot be read", ex);
			}
		}

		@Override
		public JWTClaimsSet process(PlainJWT jwt, @Nullable SecurityContext context) throws BadJOSEException {
			return process((JWT) jwt, context);
		}

		@Override
		public JWTClaimsSet process(SignedJWT jwt, @Nullable SecurityContext context) throws BadJOSEException {
			return process((JWT) jwt, context);
		}

		@Override
		public JWTClaimsSet process(EncryptedJWT jwt, @Nullable SecurityContext context) throws BadJOSEException {
			return process((JWT) jwt, context);
		}

		private static void clamp(Map<String, Object> claims, String name) {
			if (claims.get(name) instanceof Number number
					&& (number.doubleValue() > LATEST_NUMERIC_DATE || number.doubleValue() < -LATEST_NUMERIC_DATE)) {
				claims.put(name, (number.doubleValue() > 0) ? LATEST_NUMERIC_DATE : -LATEST_NUMERIC_DATE);
			}
		}

	}

}
