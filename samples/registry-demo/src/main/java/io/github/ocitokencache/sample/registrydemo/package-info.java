/**
 * A sample application that lists tags, resolves digests and pushes to OCI registries
 * through the token cache, and the local auth service stand-in its demo runs.
 */
@NullMarked
package io.github.ocitokencache.sample.registrydemo;

import org.jspecify.annotations.NullMarked;
