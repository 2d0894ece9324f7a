/*
 * Copyright 2026 the Offload authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.offload.autoconfigure;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.offload.Offload;
import dev.offload.OffloadConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link OffloadConfigurationFailureAnalyzer}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OffloadConfigurationFailureAnalyzerTests {

	private final OffloadConfigurationFailureAnalyzer analyzer = new OffloadConfigurationFailureAnalyzer();

	@Test
	void analysisOfWrappedFailureReportsDescriptionAndAction() {
		OffloadConfigurationException cause = OffloadConfigurationException
			.unknownExecutor("com.example.Reports.render()", "jdbcc", java.util.List.of("default", "jdbc"));
		FailureAnalysis analysis = this.analyzer.analyze(new BeanCreationException("reports", "failed", cause));
		assertThat(analysis.getDescription()).isEqualTo("@Offload method com.example.Reports.render() names executor "
				+ "'jdbcc', which is not configured. Configured executors: default, jdbc.");
		assertThat(analysis.getAction())
			.isEqualTo("Configure it under offload.executors.jdbcc (an empty entry gets the "
					+ "defaults), or name one of: default, jdbc.");
		assertThat(analysis.getCause()).isSameAs(cause);
	}

	@Test
	void analysisOfUnsupportedReturnTypeSaysHowToFixIt() {
		FailureAnalysis analysis = this.analyzer
			.analyze(OffloadConfigurationException.unsupportedReturnType("com.example.Reports.render()", "String"));
		assertThat(analysis.getAction()).isEqualTo("Change the return type of com.example.Reports.render() to "
				+ "CompletableFuture<T> and return CompletableFuture.completedFuture(value) from the body, or remove "
				+ "@Offload (on a type, @Offload offloads every public method: annotate methods one by one instead).");
	}

	@Test
	void otherFailuresAreNotAnalyzed() {
		assertThat(this.analyzer.analyze(new IllegalStateException("unrelated"))).isNull();
	}

	@Test
	void applicationThatFailsToStartReportsTheAnalysis(CapturedOutput output) {
		SpringApplication application = new SpringApplication(MisconfiguredApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--spring.main.banner-mode=off",
				"--offload.executors.jdbc.core-size=1", "--spring.main.register-shutdown-hook=false"));
		String method = Reports.class.getName() + ".render()";
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Description:\n\n@Offload method " + method + " names executor 'jdbcc', which is not configured. "
					+ "Configured executors: default, jdbc.")
			.contains("Action:\n\nConfigure it under offload.executors.jdbcc (an empty entry gets the defaults), or "
					+ "name one of: default, jdbc.");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(OffloadAutoConfiguration.class)
	static class MisconfiguredApplication {

		@Bean
		Reports reports() {
			return new Reports();
		}

	}

	public static class Reports {

		@Offload("jdbcc")
		public CompletableFuture<String> render() {
			return CompletableFuture.completedFuture("report");
		}

	}

}
