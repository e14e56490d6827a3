package io.github.ocitokencache.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains a start-up failure caused by an invalid token cache property: a value outside
 * its range ({@link InvalidTokenCachePropertyException}), or one that is not a number at
 * all (a {@link BindException} for one of the numeric properties). The analysis names the
 * property, the value, where it came from when known, and the values the property
 * accepts.
 * <p>
 * Ordered ahead of Spring Boot's own analyzers, whose analysis of a {@link BindException}
 * would not say which values are allowed. Failures of other properties are left to them.
 *
 * @author oci-token-cache team
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class TokenCachePropertiesFailureAnalyzer implements FailureAnalyzer {

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		InvalidTokenCachePropertyException invalid = findCause(failure, InvalidTokenCachePropertyException.class);
		if (invalid != null) {
			return analysis(invalid.getPropertyName(), invalid.getValue(), null, invalid.getAllowedRange(), "");
		}
		BindException bindException = findCause(failure, BindException.class);
		if (bindException == null) {
			return null;
		}
		String name = bindException.getName().toString();
		TokenCacheProperties.AllowedRange range = TokenCacheProperties.allowedRange(name);
		ConfigurationProperty property = bindException.getProperty();
		if (range == null || property == null) {
			return null;
		}
		return analysis(name, String.valueOf(property.getValue()), property.getOrigin(), range.toString(),
				", which is not a whole number");
	}

	private static FailureAnalysis analysis(String name, String value, @Nullable Origin origin, String allowedRange,
			String problem) {
		String from = (origin != null) ? " (from " + origin + ")" : "";
		String description = "Invalid value '" + value + "' for configuration property '" + name + "'" + from + problem
				+ ". The property accepts " + allowedRange + ".";
		String action = "Set '" + name + "' to " + allowedRange + ", or remove it to use the default.";
		return new FailureAnalysis(description, action, null);
	}

	private static <T extends Throwable> @Nullable T findCause(@Nullable Throwable failure, Class<T> type) {
		while (failure != null) {
			if (type.isInstance(failure)) {
				return type.cast(failure);
			}
			failure = failure.getCause();
		}
		return null;
	}

}
