package io.github.ocitokencache.auth;

import java.util.List;

import io.github.ocitokencache.cache.RegistryOperation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TokenScope}.
 *
 * @author oci-token-cache team
 */
class TokenScopeTests {

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			repository:team/app:push,pull           | repository:team/app:pull,push
			repository:team/app:pull,push           | repository:team/app:pull,push
			repository:team/app:push,pull,push,pull | repository:team/app:pull,push
			repository:team/app:delete,*,pull       | repository:team/app:*,delete,pull
			registry:catalog:*                      | registry:catalog:*
			repository:localhost:5000/app:pull      | repository:localhost:5000/app:pull
			repository(plugin):team/app:pull        | repository(plugin):team/app:pull
			""")
	void actionsAreSortedAndDeduplicated(String scope, String expected) {
		assertThat(TokenScope.parseList(scope)).extracting(TokenScope::toString).containsExactly(expected);
	}

	@Test
	void resourceScopeExposesItsParts() {
		TokenScope scope = TokenScope.parse("repository:localhost:5000/team/app:push,pull");
		assertThat(scope.isResource()).isTrue();
		assertThat(scope.type()).isEqualTo("repository");
		assertThat(scope.name()).isEqualTo("localhost:5000/team/app");
		assertThat(scope.actions()).containsExactly("pull", "push");
		assertThat(scope.isRepository("localhost:5000/team/app")).isTrue();
		assertThat(scope.isRepository("team/app")).isFalse();
	}

	@ParameterizedTest(name = "W10 kind: unrecognised scope [{0}] is kept as it is")
	@ValueSource(strings = { "aws", "repository:team/app", "repository:team/app:", ":team/app:pull", "repository::pull",
			"openid", "repository:team/app:,,," })
	void unrecognisedScopeIsKeptAsItIs(String scope) {
		TokenScope parsed = TokenScope.parse(scope);
		assertThat(parsed.isResource()).isFalse();
		assertThat(parsed.type()).isNull();
		assertThat(parsed.name()).isNull();
		assertThat(parsed.actions()).isEmpty();
		assertThat(parsed).hasToString(scope);
		assertThat(TokenScope.parseList(scope)).containsExactly(parsed);
	}

	@Test
	void scopesOfOneResourceAreMerged() {
		assertThat(TokenScope.parseList("repository:team/app:pull repository:team/app:push repository:team/app:pull"))
			.extracting(TokenScope::toString)
			.containsExactly("repository:team/app:pull,push");
	}

	@Test
	void resourcesOfDifferentTypesAreNotMerged() {
		assertThat(TokenScope.parseList("registry:team/app:pull repository:team/app:push"))
			.extracting(TokenScope::toString)
			.containsExactly("registry:team/app:pull", "repository:team/app:push");
	}

	@ParameterizedTest(name = "every order Distribution emits normalises alike: {0}")
	@ValueSource(strings = { "repository:demo/app:pull,push repository:other/repo:pull",
			"repository:demo/app:push,pull repository:other/repo:pull",
			"repository:other/repo:pull repository:demo/app:pull,push",
			"repository:other/repo:pull repository:demo/app:push,pull",
			"  repository:other/repo:pull\trepository:demo/app:push  repository:demo/app:pull " })
	void distributionScopeOrdersNormaliseToOneList(String scopes) {
		assertThat(TokenScope.parseList(scopes)).extracting(TokenScope::toString)
			.containsExactly("repository:demo/app:pull,push", "repository:other/repo:pull");
	}

	@Test
	void unrecognisedScopesAreDeduplicatedAndKeptBesideResources() {
		assertThat(TokenScope.parseList("aws repository:team/app:pull aws")).extracting(TokenScope::toString)
			.containsExactly("aws", "repository:team/app:pull");
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { " ", "\t \t" })
	void blankScopeIsEmptyList(String scopes) {
		assertThat(TokenScope.parseList(scopes)).isEmpty();
	}

	@Test
	void repositoryScopeForOperation() {
		assertThat(TokenScope.repository("team/app", RegistryOperation.PULL)).hasToString("repository:team/app:pull");
		assertThat(TokenScope.repository("team/app", RegistryOperation.PUSH))
			.hasToString("repository:team/app:pull,push");
	}

	@Test
	void mergeUnitesActionsOfEqualResources() {
		List<TokenScope> merged = TokenScope.merge(List.of(TokenScope.repository("a", RegistryOperation.PULL),
				TokenScope.parse("repository:a:delete"), TokenScope.parse("aws")));
		assertThat(merged).extracting(TokenScope::toString).containsExactly("aws", "repository:a:delete,pull");
	}

	@Test
	void equalScopesAreEqual() {
		assertThat(TokenScope.parse("repository:a:push,pull")).isEqualTo(TokenScope.parse("repository:a:pull,push"))
			.hasSameHashCodeAs(TokenScope.parse("repository:a:pull,push"));
		assertThat(TokenScope.parse("aws")).isEqualTo(TokenScope.parse("aws"))
			.isNotEqualTo(TokenScope.parse("repository:a:pull"));
	}

}
