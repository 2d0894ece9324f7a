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

package dev.offload.reactive;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.offload.OffloadConfigurationException;
import dev.offload.Offloader;
import dev.offload.ReactiveOffloader;
import dev.offload.autoconfigure.OffloadAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the auto-configuration of the reactive support: the {@link ReactiveOffloader}
 * bean, and the refusal of {@code Mono} and {@code Flux} methods without Reactor.
 */
class ReactiveAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class))
		.withPropertyValues("offload.executors.io.core-size=1");

	@Test
	void reactiveOffloaderIsConfiguredWhenReactorIsPresent() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(ReactiveOffloader.class)
			.getBean(ReactiveOffloader.class)
			.isInstanceOf(DefaultReactiveOffloader.class));
	}

	@Test
	void reactiveOffloaderRunsOnTheCallerWhenOffloadingIsOff() {
		this.contextRunner.withPropertyValues("offload.enabled=false")
			.run((context) -> assertThat(context).getBean(ReactiveOffloader.class)
				.isInstanceOf(CallerRunsReactiveOffloader.class));
	}

	@Test
	void withoutReactorTheStarterWorksWithoutReactiveOffloader() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("reactor.core"))
			.withUserConfiguration(FutureServiceConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(Offloader.class);
				assertThat(context).doesNotHaveBean(ReactiveOffloader.class);
				assertThat(context.getBean(FutureService.class).load().get()).isEqualTo("value");
			});
	}

	@Test
	void withoutReactorAMonoMethodIsRefusedNamingTheMissingDependency() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("reactor.core"))
			.withUserConfiguration(ReactiveCallsTests.ServiceConfiguration.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				while (failure != null && !(failure instanceof OffloadConfigurationException)) {
					failure = failure.getCause();
				}
				assertThat(failure).isInstanceOf(OffloadConfigurationException.class);
				OffloadConfigurationException ex = (OffloadConfigurationException) failure;
				String method = ReactiveService.class.getName() + ".";
				assertThat(ex.getDescription()).startsWith("@Offload method " + method)
					.matches(".*\\.(mono|flux|monoWithTimeout|fluxWithTimeout)\\(\\) returns (Mono|Flux)<Object>, "
							+ "which needs io.projectreactor:reactor-core on the classpath \\(Reactor gives the caller "
							+ "its lazy (Mono|Flux)\\), and it is missing\\.");
				assertThat(ex.getAction())
					.startsWith("Add io.projectreactor:reactor-core to the application's " + "dependencies, or change "
							+ method)
					.endsWith(" to return CompletableFuture<T>, or remove @Offload.");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class FutureServiceConfiguration {

		@Bean
		FutureService futureService() {
			return new FutureService();
		}

	}

	public static class FutureService {

		@dev.offload.Offload("io")
		public java.util.concurrent.CompletableFuture<String> load() {
			return java.util.concurrent.CompletableFuture.completedFuture("value");
		}

	}

}
