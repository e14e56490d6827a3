package io.github.ocitokencache.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * The challenges of a response's {@code WWW-Authenticate} header lines, read after RFC
 * 7235 with the leniency that registries in the field need: every challenge on every
 * line; scheme and parameter names in any case; quoted values holding commas, spaces and
 * escaped quotes; unquoted values running to the next comma or space; challenges without
 * parameters and token68 forms tolerated. Malformed input never throws: what cannot be
 * read is skipped.
 * <p>
 * Instances are immutable and thread-safe.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class WwwAuthenticate {

	private static final WwwAuthenticate NONE = new WwwAuthenticate(List.of());

	private final List<AuthChallenge> challenges;

	private WwwAuthenticate(List<AuthChallenge> challenges) {
		this.challenges = challenges;
	}

	/**
	 * Read the challenges of a response's {@code WWW-Authenticate} headers, whatever case
	 * the header name was sent in.
	 * @param headers the response headers
	 * @return the challenges
	 */
	public static WwwAuthenticate from(HttpHeaders headers) {
		return parse(headers.get(HttpHeaders.WWW_AUTHENTICATE));
	}

	/**
	 * Read the challenges of {@code WWW-Authenticate} header values, one element per
	 * header line.
	 * @param headerValues the header values; {@code null} elements are skipped
	 * @return the challenges, in the order they were sent
	 */
	public static WwwAuthenticate parse(@Nullable List<@Nullable String> headerValues) {
		if (headerValues == null || headerValues.isEmpty()) {
			return NONE;
		}
		List<AuthChallenge> challenges = new ArrayList<>();
		for (String line : headerValues) {
			if (line != null) {
				challenges.addAll(ChallengeParser.parse(line));
			}
		}
		return new WwwAuthenticate(Collections.unmodifiableList(challenges));
	}

	/**
	 * Return every challenge, in the order sent, unknown schemes included.
	 * @return the challenges, unmodifiable
	 */
	public List<AuthChallenge> challenges() {
		return this.challenges;
	}

	/**
	 * Return whether no challenge was sent.
	 * @return {@code true} if there are no challenges
	 */
	public boolean isEmpty() {
		return this.challenges.isEmpty();
	}

	/**
	 * Return the challenge a registry client should answer: the first {@code Bearer}
	 * challenge wherever it stands, else the first {@code Basic} one. Other schemes are
	 * ignored.
	 * @return the preferred challenge, or {@code null} if there is neither a bearer nor a
	 * basic challenge
	 */
	public @Nullable AuthChallenge preferredChallenge() {
		AuthChallenge basic = null;
		for (AuthChallenge challenge : this.challenges) {
			if (challenge.isBearer()) {
				return challenge;
			}
			if (basic == null && challenge.isBasic()) {
				basic = challenge;
			}
		}
		return basic;
	}

	@Override
	public String toString() {
		return this.challenges.toString();
	}

}
