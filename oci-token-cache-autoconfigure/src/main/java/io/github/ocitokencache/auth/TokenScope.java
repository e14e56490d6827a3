package io.github.ocitokencache.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.github.ocitokencache.cache.RegistryOperation;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One scope of a token request, in the Docker registry form {@code type:name:actions},
 * such as {@code repository:team/app:pull,push}, or a scope in any other form (such as
 * {@code aws}), which is kept exactly as it was given.
 * <p>
 * A resource scope's actions are a sorted set, so {@code push,pull} and {@code pull,push}
 * are one scope. Registries emit scope lists in any order (CNCF Distribution's order
 * varies from one response to the next), so {@link #parseList(String)} and
 * {@link #merge(Collection)} also merge scopes of one resource and sort the result.
 * <p>
 * Instances are immutable and thread-safe.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class TokenScope implements Comparable<TokenScope> {

	/**
	 * The resource type of a repository scope.
	 */
	public static final String REPOSITORY = "repository";

	private final @Nullable String type;

	private final @Nullable String name;

	private final Set<String> actions;

	private final String value;

	private TokenScope(@Nullable String type, @Nullable String name, Set<String> actions, String value) {
		this.type = type;
		this.name = name;
		this.actions = actions;
		this.value = value;
	}

	private static TokenScope resource(String type, String name, Collection<String> actions) {
		Set<String> sorted = Collections.unmodifiableSet(new TreeSet<>(actions));
		return new TokenScope(type, name, sorted, type + ":" + name + ":" + String.join(",", sorted));
	}

	/**
	 * Return the scope that grants an operation on a repository.
	 * @param repository the repository path, such as {@code team/app}
	 * @param operation the operation
	 * @return {@code repository:<repository>:pull} or
	 * {@code repository:<repository>:pull,push}
	 */
	public static TokenScope repository(String repository, RegistryOperation operation) {
		Assert.hasLength(repository, "'repository' must not be empty");
		return resource(REPOSITORY, repository, List.of(operation.actions().split(",")));
	}

	/**
	 * Parse one scope. The type runs to the first colon and the actions follow the last,
	 * so a name may hold colons. Actions are trimmed, deduplicated and sorted. A scope
	 * without a type, a name, or at least one action is kept as it is.
	 * @param scope the scope, without surrounding white space
	 * @return the scope
	 */
	public static TokenScope parse(String scope) {
		Assert.hasLength(scope, "'scope' must not be empty");
		int firstColon = scope.indexOf(':');
		int lastColon = scope.lastIndexOf(':');
		if (firstColon > 0 && lastColon > firstColon + 1) {
			List<String> actions = new ArrayList<>();
			for (String action : scope.substring(lastColon + 1).split(",")) {
				if (!action.isBlank()) {
					actions.add(action.trim());
				}
			}
			if (!actions.isEmpty()) {
				return resource(scope.substring(0, firstColon), scope.substring(firstColon + 1, lastColon), actions);
			}
		}
		return new TokenScope(null, null, Set.of(), scope);
	}

	/**
	 * Parse a space-separated scope list, as in a challenge's {@code scope} parameter,
	 * and normalise it as by {@link #merge(Collection)}.
	 * @param scopes the scope list
	 * @return the normalised scopes, empty if {@code scopes} is {@code null} or blank
	 */
	public static List<TokenScope> parseList(@Nullable String scopes) {
		if (scopes == null || scopes.isBlank()) {
			return List.of();
		}
		List<TokenScope> parsed = new ArrayList<>();
		for (String scope : scopes.trim().split("\\s+")) {
			parsed.add(parse(scope));
		}
		return merge(parsed);
	}

	/**
	 * Normalise scopes: resource scopes of equal type and name become one with the union
	 * of their actions, equal other scopes become one, and the result is sorted by its
	 * text form.
	 * @param scopes the scopes
	 * @return the normalised scopes, unmodifiable
	 */
	public static List<TokenScope> merge(Collection<TokenScope> scopes) {
		Map<String, TokenScope> merged = new LinkedHashMap<>();
		for (TokenScope scope : scopes) {
			String key = (scope.isResource()) ? scope.type + ":" + scope.name : scope.value;
			merged.merge(key, scope, TokenScope::union);
		}
		List<TokenScope> result = new ArrayList<>(merged.values());
		Collections.sort(result);
		return Collections.unmodifiableList(result);
	}

	private static TokenScope union(TokenScope first, TokenScope second) {
		if (!first.isResource()) {
			return first;
		}
		Set<String> actions = new TreeSet<>(first.actions);
		actions.addAll(second.actions);
		return resource(Objects.requireNonNull(first.type), Objects.requireNonNull(first.name), actions);
	}

	/**
	 * Return whether this scope has the {@code type:name:actions} form.
	 * @return {@code true} for a resource scope, {@code false} for one kept as it is
	 */
	public boolean isResource() {
		return this.type != null;
	}

	/**
	 * Return whether this is a repository scope for the given repository.
	 * @param repository the repository path
	 * @return {@code true} if type is {@value #REPOSITORY} and the name is equal
	 */
	public boolean isRepository(String repository) {
		return REPOSITORY.equals(this.type) && repository.equals(this.name);
	}

	/**
	 * Return the resource type, such as {@code repository}.
	 * @return the type, or {@code null} if this is not a resource scope
	 */
	public @Nullable String type() {
		return this.type;
	}

	/**
	 * Return the resource name, such as {@code team/app}.
	 * @return the name, or {@code null} if this is not a resource scope
	 */
	public @Nullable String name() {
		return this.name;
	}

	/**
	 * Return the actions, sorted.
	 * @return the actions, empty if this is not a resource scope
	 */
	public Set<String> actions() {
		return this.actions;
	}

	@Override
	public int compareTo(TokenScope other) {
		return this.value.compareTo(other.value);
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		if (this == obj) {
			return true;
		}
		return obj instanceof TokenScope other && this.value.equals(other.value);
	}

	@Override
	public int hashCode() {
		return this.value.hashCode();
	}

	/**
	 * Return the scope as sent in a token request, actions normalised.
	 * @return the scope's text form
	 */
	@Override
	public String toString() {
		return this.value;
	}

}
