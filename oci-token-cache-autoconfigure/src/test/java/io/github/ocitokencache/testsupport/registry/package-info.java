/**
 * Test harness that runs a real CNCF Distribution registry ({@code docker-registry}) on
 * loopback for integration tests, together with the token endpoint it trusts.
 * <p>
 * {@link io.github.ocitokencache.testsupport.registry.LocalRegistryExtension} is the
 * usual entry point: registered as a static field, it starts a
 * {@link io.github.ocitokencache.testsupport.registry.TestTokenIssuer} and a
 * {@link io.github.ocitokencache.testsupport.registry.LocalRegistry} before the first
 * test of a class and stops both after the last one. Tests are skipped when
 * {@code docker-registry} is not installed, unless the {@code CI} environment variable is
 * set, in which case they fail.
 */
package io.github.ocitokencache.testsupport.registry;
