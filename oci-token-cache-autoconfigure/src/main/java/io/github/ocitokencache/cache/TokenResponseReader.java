package io.github.ocitokencache.cache;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a registry token endpoint's answer into a {@link BearerToken}, leniently: the
 * body is JSON, {@code token} wins over {@code access_token} and an empty string counts
 * as missing; {@code expires_in} may be a number or a numeric string and counts only when
 * positive; {@code issued_at} counts only as RFC 3339. A malformed optional field is
 * ignored (and logged at DEBUG without its value), never fatal; unknown fields are
 * ignored.
 * <p>
 * Instances are immutable and thread-safe.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class TokenResponseReader {

	private static final Log logger = LogFactory.getLog(TokenResponseReader.class);

	private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Long.MAX_VALUE);

	private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

	private final JsonMapper jsonMapper;

	/**
	 * Create a reader with a default {@link JsonMapper}.
	 */
	public TokenResponseReader() {
		this(JsonMapper.shared());
	}

	/**
	 * Create a reader that parses with the given mapper.
	 * @param jsonMapper the mapper to parse bodies with
	 */
	public TokenResponseReader(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Read a token endpoint's answer.
	 * @param statusCode the HTTP status of the answer
	 * @param contentType the answer's {@code Content-Type}, if it had one
	 * @param body the answer's body
	 * @return the token
	 * @throws TokenResponseException if the status is not a success, or the body is not a
	 * JSON object holding a token; the message names the status and content type, never
	 * the body
	 */
	public BearerToken read(int statusCode, @Nullable String contentType, byte @Nullable [] body) {
		JsonNode json = parse(body);
		if (statusCode < 200 || statusCode > 299) {
			String errorCode = errorCode(json);
			throw new TokenResponseException("Token endpoint refused the request with status " + statusCode
					+ ((errorCode != null) ? " and error code " + errorCode : "") + " (content type "
					+ describe(contentType) + ")", statusCode, errorCode);
		}
		if (json == null) {
			throw new TokenResponseException("Token endpoint answered status " + statusCode + " with content type "
					+ describe(contentType) + ", which is not a JSON token response", statusCode, null);
		}
		String token = nonEmptyString(json, "token");
		if (token == null) {
			token = nonEmptyString(json, "access_token");
		}
		if (token == null) {
			throw new TokenResponseException(
					"Token endpoint answered status " + statusCode
							+ " but the response holds no token (neither 'token' nor 'access_token')",
					statusCode, null);
		}
		return new BearerToken(token, nonEmptyString(json, "refresh_token"), expiresIn(json), issuedAt(json));
	}

	private static String describe(@Nullable String contentType) {
		return (contentType != null) ? "'" + contentType + "'" : "(none)";
	}

	private @Nullable JsonNode parse(byte @Nullable [] body) {
		if (body == null || body.length == 0) {
			return null;
		}
		try {
			JsonNode json = this.jsonMapper.readTree(body);
			return (json != null && json.isObject()) ? json : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static @Nullable String errorCode(@Nullable JsonNode json) {
		if (json == null) {
			return null;
		}
		JsonNode errors = json.get("errors");
		String code = (errors != null && errors.isArray() && !errors.isEmpty()) ? nonEmptyString(errors.get(0), "code")
				: null;
		return asErrorCode((code != null) ? code : nonEmptyString(json, "error"));
	}

	// Error codes are short identifiers such as UNAUTHORIZED or invalid_grant. Anything
	// else is the endpoint's free text, which may hold a secret or forge a log line.
	private static @Nullable String asErrorCode(@Nullable String candidate) {
		return (candidate != null && ERROR_CODE.matcher(candidate).matches()) ? candidate : null;
	}

	private static @Nullable String nonEmptyString(@Nullable JsonNode json, String field) {
		JsonNode value = (json != null) ? json.get(field) : null;
		return (value != null && value.isString() && !value.stringValue().isEmpty()) ? value.stringValue() : null;
	}

	private static @Nullable Duration expiresIn(JsonNode json) {
		JsonNode value = json.get("expires_in");
		if (value == null || value.isNull()) {
			return null;
		}
		BigDecimal seconds;
		if (value.isNumber()) {
			if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
				logIgnored("expires_in", "is not a finite number");
				return null;
			}
			seconds = value.decimalValue();
		}
		else if (value.isString()) {
			try {
				seconds = new BigDecimal(value.stringValue().trim());
			}
			catch (NumberFormatException ex) {
				logIgnored("expires_in", "is a string that is not a number");
				return null;
			}
		}
		else {
			logIgnored("expires_in", "is neither a number nor a numeric string");
			return null;
		}
		if (seconds.compareTo(BigDecimal.ONE) < 0) {
			logIgnored("expires_in", "is less than one second");
			return null;
		}
		// Whole seconds, and no more than a long holds: the cache caps lifetimes far
		// below.
		return Duration.ofSeconds(seconds.min(MAX_SECONDS).longValue());
	}

	private static @Nullable Instant issuedAt(JsonNode json) {
		JsonNode value = json.get("issued_at");
		if (value == null || value.isNull()) {
			return null;
		}
		if (value.isString()) {
			try {
				return OffsetDateTime.parse(value.stringValue()).toInstant();
			}
			catch (DateTimeParseException ex) {
				// Fall through: some endpoints send epoch seconds as a string.
			}
		}
		logIgnored("issued_at", "is not an RFC 3339 date-time");
		return null;
	}

	private static void logIgnored(String field, String reason) {
		if (logger.isDebugEnabled()) {
			logger.debug("Ignoring token response field '" + field + "': it " + reason);
		}
	}

}
