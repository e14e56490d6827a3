/**
 * JMH benchmarks and a memory footprint check for the token cache, the image reference
 * parser and the challenge parser, with the designs they are compared against, and an
 * end-to-end comparison of registry clients against a local {@code docker-registry}.
 * Built and run only by the {@code benchmarks} Maven profile; see
 * {@code docs/performance.md}.
 */
package io.github.ocitokencache.benchmarks;
