/**
 * The Actuator endpoint of the token cache.
 */
@NullMarked
package io.github.ocitokencache.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
