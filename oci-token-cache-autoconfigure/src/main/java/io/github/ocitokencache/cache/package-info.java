/**
 * The token cache at the heart of oci-token-cache: image references, registry
 * credentials, token endpoint responses and the lifetimes the cache gives them. Nothing
 * here depends on Spring's application context, so the cache can be used on its own.
 */
@NullMarked
package io.github.ocitokencache.cache;

import org.jspecify.annotations.NullMarked;
