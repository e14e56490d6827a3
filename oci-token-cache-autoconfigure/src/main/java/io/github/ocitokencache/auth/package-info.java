/**
 * The registry side of the Docker token handshake: {@code WWW-Authenticate} challenges,
 * token scopes, token requests, the policy that decides where credentials may go, and a
 * token endpoint client on Spring's {@code RestClient}. Everything but the client is pure
 * and free of I/O.
 */
@NullMarked
package io.github.ocitokencache.auth;

import org.jspecify.annotations.NullMarked;
