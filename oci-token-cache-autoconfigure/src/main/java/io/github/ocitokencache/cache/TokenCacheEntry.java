package io.github.ocitokencache.cache;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the cache holds for one key, without the secret: safe to log or show.
 *
 * @param registry the registry's canonical name
 * @param repository the repository
 * @param operation the operation the token was granted for
 * @param kind bearer token or basic credentials
 * @param expiresAt when the cache stops handing the token out, {@code null} for
 * credentials that never expire
 * @author oci-token-cache team
 * @since 0.1.0
 */
public record TokenCacheEntry(String registry, String repository, RegistryOperation operation,
		RegistryCredential.Kind kind, @Nullable Instant expiresAt) {

}
