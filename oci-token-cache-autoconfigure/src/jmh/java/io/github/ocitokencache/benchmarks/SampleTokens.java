package io.github.ocitokencache.benchmarks;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints registry tokens shaped like those of a Docker distribution token server: RS256, a
 * {@code kid}, issuer, subject, audience, {@code exp}, {@code nbf}, {@code iat},
 * {@code jti} and an {@code access} claim, about 800 characters in all.
 *
 * @author oci-token-cache team
 */
final class SampleTokens {

	private SampleTokens() {
	}

	/**
	 * Mint a signed pull token for a repository, valid for an hour from now.
	 * @param repository the repository named in the access claim
	 * @return the compact serialisation of the token
	 */
	static String registryToken(String repository) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair keyPair = generator.generateKeyPair();
			Instant now = Instant.now();
			JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("registry-token-issuer")
				.subject("robot")
				.audience("registry.example.com")
				.expirationTime(Date.from(now.plus(Duration.ofHours(1))))
				.notBeforeTime(Date.from(now))
				.issueTime(Date.from(now))
				.jwtID(UUID.randomUUID().toString())
				.claim("access", List.of(Map.of("type", "repository", "name", repository, "actions", List.of("pull"))))
				.build();
			JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
				.keyID("K7RC:TECF:QBEH:ZS7F:3ROJ:5QXK:LNXO:JM2Y:U7YJ:5XZ7:BCRL:VUXD")
				.build();
			SignedJWT jwt = new SignedJWT(header, claims);
			jwt.sign(new RSASSASigner(keyPair.getPrivate()));
			return jwt.serialize();
		}
		catch (NoSuchAlgorithmException | JOSEException ex) {
			throw new IllegalStateException("Cannot mint a sample token", ex);
		}
	}

}
