package io.github.ocitokencache.cache;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Builds JWT strings for tests from literal JSON, so that claims of any type and value
 * can be written exactly as a registry might send them. The signature part is filler: the
 * cache never verifies it.
 *
 * @author oci-token-cache team
 */
final class Jwts {

	private static final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

	private Jwts() {
	}

	static String signed(String payloadJson) {
		return segment("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"K7RC:TECF\"}") + "." + segment(payloadJson) + "."
				+ segment("not-a-real-signature");
	}

	static String unsigned(String payloadJson) {
		return segment("{\"alg\":\"none\"}") + "." + segment(payloadJson) + ".";
	}

	static String segment(String json) {
		return encoder.encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}
