package io.github.ocitokencache.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Reads the challenges of one {@code WWW-Authenticate} header line, after RFC 7235 but
 * leniently, because registries and proxies in the field do not all follow it: any run of
 * characters other than white space, {@code ,}, {@code =} and {@code "} is a token;
 * parameters may be separated by spaces as well as commas; an unterminated quoted string
 * runs to the end of the line; anything that fits no rule is skipped. It never throws.
 * <p>
 * After a challenge's parameters, a token that is not followed by {@code =} starts the
 * next challenge; that is how several challenges on one line are told apart.
 *
 * @author oci-token-cache team
 */
final class ChallengeParser {

	private final String line;

	private int position;

	private ChallengeParser(String line) {
		this.line = line;
	}

	static List<AuthChallenge> parse(String line) {
		return new ChallengeParser(line).challenges();
	}

	private List<AuthChallenge> challenges() {
		List<AuthChallenge> challenges = new ArrayList<>();
		skipSeparators();
		while (!atEnd()) {
			String scheme = readToken();
			if (scheme.isEmpty()) {
				skipStrayCharacter();
			}
			else if (followedByEquals()) {
				// A parameter with no scheme before it belongs to no challenge.
				this.position++;
				readValue();
			}
			else {
				challenges.add(readChallenge(scheme));
			}
			skipSeparators();
		}
		return challenges;
	}

	private AuthChallenge readChallenge(String scheme) {
		skipWhitespace();
		String token68 = readToken68();
		Map<String, String> parameters = new LinkedHashMap<>();
		while (token68 == null) {
			int mark = this.position;
			skipSeparators();
			if (atEnd()) {
				break;
			}
			String name = readToken();
			if (name.isEmpty()) {
				skipStrayCharacter();
				continue;
			}
			if (!followedByEquals()) {
				this.position = mark;
				break;
			}
			this.position++;
			String value = readValue();
			// RFC 7235 allows each name once per challenge; of repeated ones the first
			// counts.
			parameters.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
		}
		return new AuthChallenge(scheme, token68, parameters);
	}

	private @Nullable String readToken68() {
		int start = this.position;
		String token = readToken();
		int padding = 0;
		while (!atEnd() && this.line.charAt(this.position) == '=') {
			this.position++;
			padding++;
		}
		int end = this.position;
		skipWhitespace();
		if (!token.isEmpty() && (atEnd() || this.line.charAt(this.position) == ',')) {
			return this.line.substring(start, end - padding) + "=".repeat(padding);
		}
		this.position = start;
		return null;
	}

	private String readValue() {
		skipWhitespace();
		if (!atEnd() && this.line.charAt(this.position) == '"') {
			return readQuotedString();
		}
		int start = this.position;
		while (!atEnd() && !isWhitespace(this.line.charAt(this.position)) && this.line.charAt(this.position) != ',') {
			this.position++;
		}
		return this.line.substring(start, this.position);
	}

	private String readQuotedString() {
		StringBuilder value = new StringBuilder();
		this.position++;
		while (!atEnd()) {
			char c = this.line.charAt(this.position++);
			if (c == '"') {
				return value.toString();
			}
			if (c == '\\' && !atEnd()) {
				c = this.line.charAt(this.position++);
			}
			value.append(c);
		}
		return value.toString();
	}

	private String readToken() {
		int start = this.position;
		while (!atEnd() && isTokenCharacter(this.line.charAt(this.position))) {
			this.position++;
		}
		return this.line.substring(start, this.position);
	}

	private boolean followedByEquals() {
		int mark = this.position;
		skipWhitespace();
		if (!atEnd() && this.line.charAt(this.position) == '=') {
			return true;
		}
		this.position = mark;
		return false;
	}

	private void skipStrayCharacter() {
		if (this.line.charAt(this.position) == '"') {
			readQuotedString();
		}
		else {
			this.position++;
		}
	}

	private void skipSeparators() {
		while (!atEnd() && (isWhitespace(this.line.charAt(this.position)) || this.line.charAt(this.position) == ',')) {
			this.position++;
		}
	}

	private void skipWhitespace() {
		while (!atEnd() && isWhitespace(this.line.charAt(this.position))) {
			this.position++;
		}
	}

	private boolean atEnd() {
		return this.position >= this.line.length();
	}

	private static boolean isTokenCharacter(char c) {
		return !isWhitespace(c) && c != ',' && c != '=' && c != '"';
	}

	private static boolean isWhitespace(char c) {
		return c <= ' ' || Character.isWhitespace(c);
	}

}
