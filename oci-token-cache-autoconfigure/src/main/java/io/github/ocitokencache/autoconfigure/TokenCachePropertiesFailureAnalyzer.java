package io.github.ocitokencache.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Explains a start-up failure caused by an invalid token cache property: a value it does
 * not accept ({@link InvalidTokenCachePropertyException}), or one of the numeric
 * properties that is not a number at all (a {@link BindException}). The analysis names
 * the property, the value unless it is a secret, where it came from when the
 * application's {@link Environment} knows, and what the property accepts.
 * <p>
 * Ordered ahead of Spring Boot's own analyzers, whose analysis of a {@link BindException}
 * would not say which values are allowed. Failures of other properties are left to them.
 *
 * @author oci-token-cache team
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class TokenCachePropertiesFailureAnalyzer implements FailureAnalyzer {

	private final Environment environment;

	TokenCachePropertiesFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		InvalidTokenCachePropertyException invalid = findCause(failure, InvalidTokenCachePropertyException.class);
		if (invalid != null) {
			return analysis(invalid.getPropertyName(), invalid.getValue(), origin(invalid.getPropertyName()),
					invalid.getReason(), invalid.getAction());
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
		return analysis(name, String.valueOf(property.getValue()), property.getOrigin(),
				"it is not a whole number; the property accepts " + range, range.action(name));
	}

	private static FailureAnalysis analysis(String name, @Nullable String value, @Nullable Origin origin, String reason,
			String action) {
		String from = (origin != null) ? " (from " + origin + ")" : "";
		String description = ((value != null) ? "Invalid value '" + value + "' for configuration property '"
				: "Invalid configuration property '") + name + "'" + from + ": " + reason + ".";
		return new FailureAnalysis(description, action, null);
	}

	/**
	 * Return where a property was set: the property itself; for a property that only has
	 * children (such as the key of a registry), its first child found; for an element of
	 * a list written as one comma-separated value, that value.
	 * @param name the property's full name
	 * @return the origin, or {@code null} if it cannot be found
	 */
	private @Nullable Origin origin(String name) {
		ConfigurationPropertyName target = ConfigurationPropertyName.ofIfValid(name);
		if (target == null || !(this.environment instanceof ConfigurableEnvironment)) {
			return null;
		}
		Origin origin = origin(target);
		if (origin == null && target.isLastElementIndexed()) {
			origin = origin(target.getParent());
		}
		return origin;
	}

	private @Nullable Origin origin(ConfigurationPropertyName target) {
		Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(this.environment);
		for (ConfigurationPropertySource source : sources) {
			ConfigurationProperty property = source.getConfigurationProperty(target);
			if (property != null) {
				return property.getOrigin();
			}
		}
		for (ConfigurationPropertySource source : sources) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				ConfigurationPropertyName child = iterable.filter(target::isAncestorOf)
					.stream()
					.findFirst()
					.orElse(null);
				ConfigurationProperty property = (child != null) ? source.getConfigurationProperty(child) : null;
				if (property != null) {
					return property.getOrigin();
				}
			}
		}
		return null;
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
