/**
 * Spring Boot auto-configuration for the token cache: its properties under
 * {@code oci.token-cache}, the cache itself, its Micrometer meters and its Actuator
 * endpoint, and the analysis of invalid property values.
 */
@NullMarked
package io.github.ocitokencache.autoconfigure;

import org.jspecify.annotations.NullMarked;
