package io.github.ocitokencache.sample.registrydemo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A small application that talks to OCI registries through the token cache starter: lists
 * tags, resolves digests and pushes, and shows the cache at work on Actuator.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
@SpringBootApplication
@EnableConfigurationProperties(DemoProperties.class)
public class RegistryDemoApplication {

	/**
	 * Start the application.
	 * @param args the command line arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(RegistryDemoApplication.class, args);
	}

}
