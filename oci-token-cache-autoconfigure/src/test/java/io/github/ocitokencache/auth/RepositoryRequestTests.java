package io.github.ocitokencache.auth;

import java.net.URI;

import io.github.ocitokencache.cache.RegistryOperation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RepositoryRequest}: which repository and operation a registry request
 * is about.
 *
 * @author oci-token-cache team
 */
class RepositoryRequestTests {

	@ParameterizedTest(name = "{0} {1} -> {2} {3} {4}")
	@CsvSource(nullValues = "-", textBlock = """
			GET,    https://r.example/v2/app/manifests/1.0,                     r.example,       app,               PULL
			HEAD,   https://r.example/v2/team/app/manifests/sha256:abc,         r.example,       team/app,          PULL
			GET,    https://r.example/v2/a/b/c/blobs/sha256:abc,                r.example,       a/b/c,             PULL
			GET,    https://r.example/v2/team/app/tags/list,                    r.example,       team/app,          PULL
			GET,    https://r.example/v2/team/app/tags/list?n=10&last=b,        r.example,       team/app,          PULL
			GET,    https://r.example/v2/team/app/referrers/sha256:abc,         r.example,       team/app,          PULL
			PUT,    https://r.example/v2/team/app/manifests/1.0,                r.example,       team/app,          PUSH
			POST,   https://r.example/v2/team/app/blobs/uploads/,               r.example,       team/app,          PUSH
			POST,   https://r.example/v2/team/app/blobs/uploads/?mount=sha256:a&from=x, r.example, team/app,        PUSH
			PATCH,  https://r.example/v2/team/app/blobs/uploads/0f2c-11,        r.example,       team/app,          PUSH
			PUT,    https://r.example/v2/team/app/blobs/uploads/0f2c-11?digest=sha256:a, r.example, team/app,       PUSH
			GET,    https://r.example/v2/team/app/blobs/uploads/0f2c-11,        r.example,       team/app,          PUSH
			DELETE, https://r.example/v2/team/app/blobs/uploads/0f2c-11,        r.example,       team/app,          PUSH
			DELETE, https://r.example/v2/team/app/manifests/sha256:abc,         r.example,       team/app,          -
			GET,    https://r.example/v2/a/blobs/b/manifests/1.0,               r.example,       a/blobs/b,         PULL
			GET,    https://r.example/v2/a/manifests/b/tags/list,               r.example,       a/manifests/b,     PULL
			GET,    http://127.0.0.1:5000/v2/demo/app/tags/list,                127.0.0.1:5000,  demo/app,          PULL
			GET,    https://REGISTRY.Example:8443/v2/demo/app/tags/list,        registry.example:8443, demo/app,    PULL
			GET,    https://registry-1.docker.io/v2/library/nginx/manifests/1,  docker.io,       library/nginx,     PULL
			GET,    https://index.docker.io/v2/nginx/manifests/1,               docker.io,       library/nginx,     PULL
			GET,    https://ghcr.io:443/v2/org/app/tags/list,                   ghcr.io,         org/app,           PULL
			GET,    http://127.0.0.1:80/v2/demo/app/tags/list,                  127.0.0.1,       demo/app,          PULL
			GET,    https://registry-1.docker.io:443/v2/library/nginx/manifests/1, docker.io,    library/nginx,     PULL
			GET,    http://r.example:443/v2/app/tags/list,                      r.example:443,   app,               PULL
			""")
	void repositoryAndOperationComeFromPathAndMethod(String method, String url, String registry, String repository,
			RegistryOperation operation) {
		RepositoryRequest request = RepositoryRequest.of(HttpMethod.valueOf(method), URI.create(url));
		assertThat(request).isNotNull();
		assertThat(request.reference().registry()).isEqualTo(registry);
		assertThat(request.reference().repository()).isEqualTo(repository);
		assertThat(request.operation()).isEqualTo(operation);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "GET https://r.example/v2/", "GET https://r.example/v2",
			"GET https://r.example/v2/_catalog", "GET https://r.example/v2/_catalog?n=10",
			"GET https://r.example/v2/app/tags", "GET https://r.example/v2/app/manifests/",
			"GET https://r.example/v2/App/manifests/1.0", "GET https://r.example/v2/a//b/manifests/1.0",
			"GET https://r.example/token", "GET https://storage.example/docker/registry/v2/blobs/sha256/ab/abc/data",
			"OPTIONS https://r.example/v2/app/manifests/1.0", "GET https://r.example/v1/app/manifests/1.0" })
	void otherRequestsAreNotRepositoryRequests(String request) {
		String[] parts = request.split(" ");
		assertThat(RepositoryRequest.of(HttpMethod.valueOf(parts[0]), URI.create(parts[1]))).isNull();
	}

}
