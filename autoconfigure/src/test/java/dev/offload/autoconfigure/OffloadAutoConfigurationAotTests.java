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

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.mock.env.MockEnvironment;

import dev.offload.Offload;
import dev.offload.actuate.OffloadEndpoint;
import dev.offload.actuate.OffloadEndpoint.PlatformExecutorDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OffloadAutoConfiguration} processed ahead of time, as
 * {@code spring-boot:process-aot} does for an application: the {@code @Offload} proxy
 * class is generated at build time, and the context restored from the generated code
 * offloads the calls.
 */
@CompileWithForkedClassLoader
class OffloadAutoConfigurationAotTests {

	private static final String PROXY_CLASS_NAME = Worker.class.getName() + "$$SpringCGLIB$$0";

	@Test
	void proxyClassIsGeneratedAheadOfTime() throws IOException {
		TestGenerationContext generationContext = processAheadOfTime();
		assertThat(generationContext.getGeneratedFiles()
			.getGeneratedFileContent(Kind.CLASS, PROXY_CLASS_NAME.replace('.', '/') + ".class")).isNotNull();
		RuntimeHints hints = generationContext.getRuntimeHints();
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of(PROXY_CLASS_NAME))
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(Worker.class)
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_METHODS)).accepts(hints);
	}

	@Test
	void starterHintsAreContributed() {
		RuntimeHints hints = processAheadOfTime().getRuntimeHints();
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(Offload.class)
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_METHODS)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(OffloadProperties.Executor.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(PlatformExecutorDescriptor.class)).accepts(hints);
	}

	@Test
	void contextRestoredFromGeneratedCodeOffloadsCalls() {
		testCompiledResult((initializer, environment) -> {
			GenericApplicationContext context = new GenericApplicationContext();
			context.setEnvironment(environment);
			initializer.initialize(context);
			context.refresh();
			try {
				Worker worker = context.getBean(Worker.class);
				assertThat(AopUtils.isCglibProxy(worker)).isTrue();
				assertThat(worker.threadName().get(5, TimeUnit.SECONDS)).startsWith("offload-io-");
				assertThat(context.getBean(OffloadEndpoint.class).offload().executors()).containsKeys("default", "io");
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			finally {
				context.close();
			}
		});
	}

	private static MockEnvironment environment() {
		return new MockEnvironment().withProperty("offload.executors.io.core-size", "2")
			.withProperty("management.endpoints.web.exposure.include", "offload");
	}

	private static TestGenerationContext processAheadOfTime() {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.setEnvironment(environment());
		context.register(OffloadAutoConfiguration.class, OffloadEndpointAutoConfiguration.class, Worker.class);
		TestGenerationContext generationContext = new TestGenerationContext();
		new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
		generationContext.writeGeneratedContent();
		return generationContext;
	}

	@SuppressWarnings("unchecked")
	private static void testCompiledResult(
			BiConsumer<ApplicationContextInitializer<GenericApplicationContext>, MockEnvironment> result) {
		TestCompiler.forSystem()
			.with(processAheadOfTime())
			.compile((compiled) -> result.accept(compiled.getInstance(ApplicationContextInitializer.class),
					environment()));
	}

	public static class Worker {

		@Offload("io")
		public CompletableFuture<String> threadName() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

}
