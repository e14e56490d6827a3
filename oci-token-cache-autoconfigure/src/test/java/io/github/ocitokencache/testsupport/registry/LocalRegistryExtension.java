package io.github.ocitokencache.testsupport.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension that gives a test class a started {@link LocalRegistry} and, in token
 * mode, the {@link TestTokenIssuer} it trusts, and stops both even when tests fail.
 * <p>
 * Register it on a static field to share one registry among the tests of a class:
 * <pre class="code">
 * &#64;RegisterExtension
 * static final LocalRegistryExtension registry = LocalRegistryExtension
 * 	.tokenAuth((issuer) -&gt; issuer.user("alice", "secret").anonymousPull());
 * </pre> On an instance field it starts a fresh registry for every test instead. Before
 * each test the issuer's request record is reset, so {@code issuer().requestCount()}
 * counts the requests of the current test only. The issuer signs with a key generated
 * once per JVM until a test calls {@link #rotateSigningKey()}; state a test changes
 * (images pushed, a rotated key, a token lifetime) stays for the following tests of a
 * shared registry.
 *
 * @author oci-token-cache team
 */
public final class LocalRegistryExtension
		implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

	private final @Nullable Consumer<TestTokenIssuer.Builder> issuerCustomizer;

	private final Map<String, String> htpasswdUsers;

	private @Nullable TestTokenIssuer issuer;

	private @Nullable LocalRegistry registry;

	private boolean perClass;

	private LocalRegistryExtension(@Nullable Consumer<TestTokenIssuer.Builder> issuerCustomizer,
			Map<String, String> htpasswdUsers) {
		this.issuerCustomizer = issuerCustomizer;
		this.htpasswdUsers = htpasswdUsers;
	}

	/**
	 * Return an extension for a token mode registry with an issuer configured by the
	 * given customizer (users, anonymous pull, identity tokens, lifetime).
	 * @param issuerCustomizer customizes the issuer's builder
	 * @return the extension
	 */
	public static LocalRegistryExtension tokenAuth(Consumer<TestTokenIssuer.Builder> issuerCustomizer) {
		return new LocalRegistryExtension(issuerCustomizer, Map.of());
	}

	/**
	 * Return an extension for an htpasswd mode registry.
	 * @param users the password of each user name
	 * @return the extension
	 */
	public static LocalRegistryExtension htpasswd(Map<String, String> users) {
		return new LocalRegistryExtension(null, new LinkedHashMap<>(users));
	}

	/**
	 * Return the started registry.
	 * @return the registry
	 * @throws IllegalStateException if called outside a test
	 */
	public LocalRegistry registry() {
		if (this.registry == null) {
			throw new IllegalStateException("The registry is only available while tests run");
		}
		return this.registry;
	}

	/**
	 * Return the token issuer of a token mode registry.
	 * @return the issuer
	 * @throws IllegalStateException in htpasswd mode or if called outside a test
	 */
	public TestTokenIssuer issuer() {
		if (this.issuer == null) {
			throw new IllegalStateException((this.issuerCustomizer == null) ? "An htpasswd registry has no issuer"
					: "The issuer is only available while tests run");
		}
		return this.issuer;
	}

	/**
	 * Generate a new signing key, let the issuer sign with it and restart the registry so
	 * that it trusts only the new key. Tokens issued before are rejected from then on
	 * with {@code error="invalid_token"}.
	 * @return the new signing key
	 */
	public SigningKey rotateSigningKey() {
		SigningKey key = SigningKey.generate();
		issuer().rotateKey(key);
		registry().restart(key);
		return key;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.perClass = true;
		start();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		if (this.registry == null) {
			start();
		}
		else if (this.issuer != null) {
			this.issuer.resetRequests();
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (!this.perClass) {
			stop();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
	}

	private void start() {
		LocalRegistry.checkInstalled();
		try {
			if (this.issuerCustomizer != null) {
				TestTokenIssuer.Builder builder = TestTokenIssuer.builder(DefaultSigningKey.INSTANCE);
				this.issuerCustomizer.accept(builder);
				this.issuer = builder.start();
				this.registry = LocalRegistry.startWithTokenAuth(this.issuer);
			}
			else {
				this.registry = LocalRegistry.startWithHtpasswd(this.htpasswdUsers);
			}
		}
		catch (RuntimeException | Error ex) {
			stop();
			throw ex;
		}
	}

	private void stop() {
		try {
			if (this.registry != null) {
				this.registry.close();
			}
		}
		finally {
			this.registry = null;
			if (this.issuer != null) {
				this.issuer.close();
			}
			this.issuer = null;
		}
	}

	/**
	 * Holder of the key generated once per JVM, on first use, for all extensions.
	 */
	private static final class DefaultSigningKey {

		static final SigningKey INSTANCE = SigningKey.generate();

	}

}
