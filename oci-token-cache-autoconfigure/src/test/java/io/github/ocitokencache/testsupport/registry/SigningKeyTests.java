package io.github.ocitokencache.testsupport.registry;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link SigningKey}.
 *
 * @author oci-token-cache team
 */
class SigningKeyTests {

	private static SigningKey key;

	@BeforeAll
	static void generateKey() {
		key = SigningKey.generate("signing-key-tests");
	}

	@Test
	void generatesRsa2048KeyWithSelfSignedCertificate() throws Exception {
		X509Certificate certificate = key.certificate();
		assertThat(key.publicKey().getModulus().bitLength()).isEqualTo(2048);
		assertThat(key.privateKey().getModulus()).isEqualTo(key.publicKey().getModulus());
		assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=signing-key-tests");
		assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
		assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withRSA");
		certificate.verify(key.publicKey());
	}

	@Test
	void certificatePemParsesBackToTheSameCertificate() throws Exception {
		String pem = key.certificatePem();
		assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("\n-----END CERTIFICATE-----\n");
		assertThat(pem.lines()).allSatisfy((line) -> assertThat(line.length()).isLessThanOrEqualTo(64));
		CertificateFactory factory = CertificateFactory.getInstance("X.509");
		X509Certificate parsed = (X509Certificate) factory
			.generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
		assertThat(parsed).isEqualTo(key.certificate());
	}

	@Test
	void certificateBundleHoldsOneBlockPerKey() {
		String bundle = SigningKey.certificateBundle(List.of(key, key));
		assertThat(bundle).isEqualTo(key.certificatePem() + key.certificatePem());
	}

	@Test
	void keyIdIsTwelveGroupsOfFourBase32Characters() {
		assertThat(key.keyId()).matches("[A-Z2-7]{4}(:[A-Z2-7]{4}){11}").hasSize(59);
		assertThat(key.keyId()).isEqualTo(SigningKey.libtrustKeyId(key.publicKey()));
	}

	@Test
	void keyIdMatchesOpensslPipeline(@TempDir Path directory) {
		assumeTrue(ExternalCommand.isInstalled("openssl") && ExternalCommand.isInstalled("base32"),
				"openssl and base32 are needed for the reference key id");
		Path certificate = key.writeCertificatePem(directory.resolve("signing.crt"));
		String pipeline = "openssl x509 -in \"$CERTIFICATE\" -noout -pubkey | openssl pkey -pubin -outform DER"
				+ " | openssl dgst -sha256 -binary | head -c 30 | base32 | tr -d '=\\n'"
				+ " | sed -E 's/(.{4})/\\1:/g; s/:$//'";
		ExternalCommand.Result result = ExternalCommand.at(Path.of("/bin/sh"))
			.run(List.of("-c", pipeline), Map.of("CERTIFICATE", certificate.toString()), Duration.ofSeconds(30));
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		assertThat(result.stdout().strip()).isEqualTo(key.keyId());
	}

	@ParameterizedTest
	@CsvSource({ "'',''", "f,MY", "fo,MZXQ", "foo,MZXW6", "foob,MZXW6YQ", "fooba,MZXW6YTB", "foobar,MZXW6YTBOI" })
	void base32EncodesRfc4648TestVectorsWithoutPadding(String input, String expected) {
		assertThat(SigningKey.base32(input.getBytes(StandardCharsets.US_ASCII))).isEqualTo(expected);
	}

}
