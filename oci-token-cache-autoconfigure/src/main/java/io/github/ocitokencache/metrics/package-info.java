/**
 * Micrometer meters for the token cache.
 */
@NullMarked
package io.github.ocitokencache.metrics;

import org.jspecify.annotations.NullMarked;
