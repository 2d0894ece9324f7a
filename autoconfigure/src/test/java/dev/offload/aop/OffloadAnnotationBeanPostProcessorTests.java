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

package dev.offload.aop;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.offload.Offload;
import dev.offload.OffloadConfigurationException;
import dev.offload.aop.other.PackagePrivateOffload;
import dev.offload.autoconfigure.OffloadAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OffloadAnnotationBeanPostProcessor}: {@code @Offload} end to end
 * through a real context.
 */
@ExtendWith(OutputCaptureExtension.class)
class OffloadAnnotationBeanPostProcessorTests {

	private static final String NAME = OffloadAnnotationBeanPostProcessorTests.class.getName();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class))
		.withPropertyValues("offload.executors.io.core-size=2", "offload.executors.io.thread-name-prefix=io-worker-");

	@Test
	void completableFutureMethodRunsOnNamedExecutorAndReturnsValue() {
		this.contextRunner.withBean(ReturnTypes.class).run((context) -> {
			ReturnTypes bean = context.getBean(ReturnTypes.class);
			assertThat(bean.completableFuture("a").get(5, TimeUnit.SECONDS)).isEqualTo("a@io-worker-1");
		});
	}

	@Test
	void completionStageMethodRunsOnNamedExecutorAndReturnsValue() {
		this.contextRunner.withBean(ReturnTypes.class).run((context) -> {
			ReturnTypes bean = context.getBean(ReturnTypes.class);
			CompletionStage<String> stage = bean.completionStage("b");
			assertThat(stage.toCompletableFuture().get(5, TimeUnit.SECONDS)).startsWith("b@io-worker-");
		});
	}

	@Test
	void futureMethodRunsOnNamedExecutorAndReturnsValue() {
		this.contextRunner.withBean(ReturnTypes.class).run((context) -> {
			ReturnTypes bean = context.getBean(ReturnTypes.class);
			assertThat(bean.future("c").get(5, TimeUnit.SECONDS)).startsWith("c@io-worker-");
		});
	}

	@Test
	void voidMethodRunsOnNamedExecutor() {
		this.contextRunner.withBean(ReturnTypes.class).run((context) -> {
			ReturnTypes bean = context.getBean(ReturnTypes.class);
			bean.fireAndForget();
			assertThat(bean.ran().await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(bean.thread().get()).startsWith("io-worker-");
		});
	}

	@Test
	void voidMethodFailureIsLoggedWithMethodName(CapturedOutput output) {
		this.contextRunner.withBean(ReturnTypes.class).run((context) -> {
			context.getBean(ReturnTypes.class).failAndForget();
			await().atMost(5, TimeUnit.SECONDS)
				.until(() -> output.getOut().contains("ReturnTypes.failAndForget()")
						&& output.getOut().contains("lost?"));
		});
	}

	@Test
	void exceptionThrownByBodyCompletesFutureWithSameInstance() {
		this.contextRunner.withBean(ReturnTypes.class).run((context) -> {
			ReturnTypes bean = context.getBean(ReturnTypes.class);
			IllegalStateException failure = new IllegalStateException("boom");
			CompletableFuture<String> future = bean.failing(failure);
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
				.havingCause()
				.isSameAs(failure);
		});
	}

	@Test
	void checkedExceptionThrownByBodyCompletesFutureWithSameInstance() {
		this.contextRunner.withBean(ReturnTypes.class).run((context) -> {
			ReturnTypes bean = context.getBean(ReturnTypes.class);
			Exception failure = new Exception("checked");
			CompletableFuture<String> future = bean.failingChecked(failure);
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
				.havingCause()
				.isSameAs(failure);
		});
	}

	@Test
	void failedFutureReturnedByBodyCompletesCallerFutureWithSameException() {
		this.contextRunner.withBean(ReturnTypes.class).run((context) -> {
			ReturnTypes bean = context.getBean(ReturnTypes.class);
			IllegalArgumentException failure = new IllegalArgumentException("failed future");
			CompletableFuture<String> future = bean.failedFuture(failure);
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
				.havingCause()
				.isSameAs(failure);
		});
	}

	@Test
	void callerThreadIsNotBlocked() {
		this.contextRunner.withBean(ReturnTypes.class).run((context) -> {
			ReturnTypes bean = context.getBean(ReturnTypes.class);
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<String> future = bean.waitFor(release);
			assertThat(future).isNotDone();
			release.countDown();
			assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("released");
		});
	}

	@Test
	void typeLevelAnnotationOffloadsEveryPublicMethod() {
		this.contextRunner.withBean(TypeLevel.class).run((context) -> {
			TypeLevel bean = context.getBean(TypeLevel.class);
			assertThat(bean.first().get(5, TimeUnit.SECONDS)).startsWith("io-worker-");
			assertThat(bean.second().get(5, TimeUnit.SECONDS)).startsWith("offload-default-");
			assertThat(bean.toString()).isEqualTo("TypeLevel");
		});
	}

	@Test
	void typeLevelAnnotationDoesNotCoverDefaultMethodsTheClassDoesNotOverride() {
		BlockingQueue<String> seen = new LinkedBlockingQueue<>();
		this.contextRunner.withBean(ListenerAndConsumer.class, () -> new ListenerAndConsumer(seen)).run((context) -> {
			assertThat(context).hasNotFailed();
			ListenerAndConsumer bean = context.getBean(ListenerAndConsumer.class);
			assertThat(bean.supportsAsyncExecution()).isTrue();
			assertThat(bean.andThen((value) -> {
			})).isNotNull();
			bean.accept("accepted");
			assertThat(seen.poll(5, TimeUnit.SECONDS)).startsWith("accepted@io-worker-");
			context.publishEvent("published");
			assertThat(seen.poll(5, TimeUnit.SECONDS)).startsWith("published@io-worker-");
		});
	}

	@Test
	void typeLevelAnnotationCoversInheritedMethodsAndDefaultMethodsOfAnnotatedInterfaces() {
		this.contextRunner.withBean(TypeLevelSubclass.class).run((context) -> {
			TypeLevelSubclass bean = context.getBean(TypeLevelSubclass.class);
			assertThat(bean.inherited().get(5, TimeUnit.SECONDS)).startsWith("io-worker-");
			assertThat(bean.fromDefault().get(5, TimeUnit.SECONDS)).startsWith("io-worker-");
		});
	}

	@Test
	void composedOffloadAnnotationWorksLikeOffload() {
		this.contextRunner.withBean(ComposedOffload.class).run((context) -> {
			ComposedOffload bean = context.getBean(ComposedOffload.class);
			assertThat(bean.composed().get(5, TimeUnit.SECONDS)).startsWith("io-worker-");
		});
	}

	@Test
	void asyncAndOffloadOnSameMethodFailsStartup() {
		assertFailsStartup(this.contextRunner.withBean(AsyncAndOffload.class), "@Offload method " + NAME
				+ "$AsyncAndOffload.both() is also @Async: two executors for one body, so it would run on neither as "
				+ "intended (@Offload's timeout and cancellation would act on the wrong thread).");
	}

	@Test
	void asyncAndOffloadOnSameMethodFailsStartupWithAsyncEnabled() {
		assertFailsStartup(
				this.contextRunner.withUserConfiguration(AsyncConfiguration.class).withBean(AsyncAndOffload.class),
				"@Offload method " + NAME + "$AsyncAndOffload.both() is also @Async: two executors for one body, so "
						+ "it would run on neither as intended (@Offload's timeout and cancellation would act on the "
						+ "wrong thread).");
	}

	@Test
	void asyncOnTypeAndOffloadOnMethodFailsStartup() {
		assertFailsStartup(this.contextRunner.withBean(AsyncType.class), "@Offload method " + NAME
				+ "$AsyncType.offloaded() is also @Async (@Async on " + NAME + "$AsyncType): two executors for one "
				+ "body, so it would run on neither as intended (@Offload's timeout and cancellation would act on the "
				+ "wrong thread).");
	}

	@Test
	void offloadOnTypeAndAsyncOnMethodFailsStartup() {
		assertFailsStartup(this.contextRunner.withBean(OffloadType.class), "@Offload method " + NAME
				+ "$OffloadType.async() is also @Async: two executors for one body, so it would run on neither as "
				+ "intended (@Offload's timeout and cancellation would act on the wrong thread).");
	}

	@Test
	void composedAsyncAndComposedOffloadOnSameMethodFailStartup() {
		assertFailsStartup(this.contextRunner.withBean(ComposedBoth.class), "@Offload method " + NAME
				+ "$ComposedBoth.composed() is also @Async: two executors for one body, so it would run on neither as "
				+ "intended (@Offload's timeout and cancellation would act on the wrong thread).");
	}

	@Test
	void placeholdersInExecutorAndTimeoutAreResolved() {
		this.contextRunner.withBean(Placeholders.class)
			.withPropertyValues("app.executor=io", "app.timeout=150ms")
			.run((context) -> {
				Placeholders bean = context.getBean(Placeholders.class);
				CompletableFuture<String> future = bean.slow();
				assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
					.withCauseInstanceOf(TimeoutException.class)
					.withMessageContaining("Placeholders.slow()")
					.withMessageContaining("'io'")
					.withMessageContaining("150ms");
				assertThat(bean.interrupted().await(5, TimeUnit.SECONDS)).isTrue();
				assertThat(bean.thread().get()).startsWith("io-worker-");
			});
	}

	@Test
	void cancelInterruptsRunningBody() {
		this.contextRunner.withBean(Placeholders.class)
			.withPropertyValues("app.executor=io", "app.timeout=30s")
			.run((context) -> {
				Placeholders bean = context.getBean(Placeholders.class);
				CompletableFuture<String> future = bean.slow();
				assertThat(bean.started().await(5, TimeUnit.SECONDS)).isTrue();
				assertThat(future.cancel(true)).isTrue();
				assertThat(future).isCancelled();
				assertThat(bean.interrupted().await(5, TimeUnit.SECONDS)).isTrue();
			});
	}

	@Test
	void transactionalAdviceRunsOnWorkerInsideOffloadedCall() {
		this.contextRunner.withUserConfiguration(TransactionConfiguration.class).run((context) -> {
			TransactionalService bean = context.getBean(TransactionalService.class);
			assertThat(TransactionSynchronizationManager.isActualTransactionActive()).isFalse();
			assertThat(bean.inTransaction().get(5, TimeUnit.SECONDS)).startsWith("active@io-worker-");
		});
	}

	@Test
	void unsupportedReturnTypeFailsStartup() {
		this.contextRunner.withBean(WrongReturnType.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(OffloadConfigurationException.class)
				.hasMessageContaining(
						"@Offload method dev.offload.aop.OffloadAnnotationBeanPostProcessorTests$WrongReturnType.load(String) returns String");
		});
	}

	@Test
	void typeLevelAnnotationWithUnsupportedPublicMethodFailsStartup() {
		this.contextRunner.withBean(TypeLevelWithValueMethod.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(OffloadConfigurationException.class)
				.hasMessageContaining("TypeLevelWithValueMethod.name() returns String");
		});
	}

	@Test
	void privateMethodFailsStartup() {
		assertFailsStartup(this.contextRunner.withBean(PrivateMethod.class),
				"@Offload method " + NAME + "$PrivateMethod.hidden() is private, so no proxy can intercept it: "
						+ "calls would run the body on the caller thread.");
	}

	@Test
	void finalMethodFailsStartup() {
		assertFailsStartup(this.contextRunner.withBean(FinalMethod.class), "@Offload method " + NAME
				+ "$FinalMethod.sealed() is final, so the class-based (CGLIB) proxy of its bean cannot override it: "
				+ "calls would bypass the proxy and run the body on the caller thread.");
	}

	@Test
	void staticMethodFailsStartup() {
		assertFailsStartup(this.contextRunner.withBean(StaticMethod.class),
				"@Offload method " + NAME + "$StaticMethod.shared() is static, so no proxy can intercept it: "
						+ "calls would run the body on the caller thread.");
	}

	@Test
	void protectedAndPackagePrivateMethodsAreOffloadedByClassBasedProxy() {
		this.contextRunner.withBean(NonPublicMethods.class).run((context) -> {
			NonPublicMethods bean = context.getBean(NonPublicMethods.class);
			assertThat(bean.protectedMethod().get(5, TimeUnit.SECONDS)).startsWith("io-worker-");
			assertThat(bean.packagePrivateMethod().get(5, TimeUnit.SECONDS)).startsWith("io-worker-");
		});
	}

	@Test
	void packagePrivateMethodInheritedFromAnotherPackageFailsStartup() {
		assertFailsStartup(this.contextRunner.withBean(InheritsPackagePrivate.class),
				"@Offload method dev.offload.aop.other.PackagePrivateOffload.hidden() is package-private and declared "
						+ "outside the package of its bean's class " + NAME + "$InheritsPackagePrivate, so the "
						+ "class-based (CGLIB) proxy, a subclass in that package, cannot override it: calls would "
						+ "bypass the proxy and run the body on the caller thread.");
	}

	@Test
	void finalMethodOnInterfaceIsOffloadedByInterfaceBasedProxy() {
		this.contextRunner.withBean(FinalImplementation.class)
			.withPropertyValues("spring.aop.proxy-target-class=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Api bean = context.getBean(Api.class);
				assertThat(bean.fetch("f").get(5, TimeUnit.SECONDS)).startsWith("f@io-worker-");
			});
	}

	@Test
	void methodNotOnProxiedInterfaceFailsStartupWithInterfaceBasedProxy() {
		assertFailsStartup(
				this.contextRunner.withBean(ExtraMethod.class)
					.withPropertyValues("spring.aop.proxy-target-class=false"),
				"@Offload method " + NAME + "$ExtraMethod.extra() is declared on none of the interfaces its bean is "
						+ "proxied through (" + NAME + "$Api): an interface-based (JDK dynamic) proxy intercepts only "
						+ "their methods, so calls would run the body on the caller thread.");
	}

	@Test
	void typeLevelAnnotationWithInterfaceBasedProxyCoversOnlyInterfaceMethods() {
		this.contextRunner.withBean(TypeLevelImplementation.class)
			.withPropertyValues("spring.aop.proxy-target-class=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Api.class).fetch("t").get(5, TimeUnit.SECONDS)).startsWith("t@io-worker-");
			});
	}

	private void assertFailsStartup(ApplicationContextRunner runner, String message) {
		runner.run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(OffloadConfigurationException.class)
				.hasMessage(message);
		});
	}

	@Test
	void jdkProxyBeanIsOffloadedThroughItsInterfaceMethods() {
		this.contextRunner.withBean("api", OffloadedApi.class,
				() -> (OffloadedApi) Proxy.newProxyInstance(getClass().getClassLoader(),
						new Class<?>[] { OffloadedApi.class }, (proxy, method, args) -> switch (method.getName()) {
							case "fetch" ->
								CompletableFuture.completedFuture(args[0] + "@" + Thread.currentThread().getName());
							case "hashCode" -> System.identityHashCode(proxy);
							case "equals" -> proxy == args[0];
							default -> "api";
						}))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(OffloadedApi.class).fetch("p").get(5, TimeUnit.SECONDS))
					.startsWith("p@io-worker-");
			});
	}

	@Test
	void springProxyWithoutTargetIsOffloadedThroughItsInterfaceMethods() {
		this.contextRunner
			.withBean("api", OffloadedApi.class,
					() -> ProxyFactory.getProxy(OffloadedApi.class,
							(MethodInterceptor) (invocation) -> CompletableFuture.completedFuture(
									invocation.getArguments()[0] + "@" + Thread.currentThread().getName())))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(OffloadedApi.class).fetch("s").get(5, TimeUnit.SECONDS))
					.startsWith("s@io-worker-");
			});
	}

	@Test
	void jdkProxyBeanIsValidatedByItsInterfaceMethods() {
		assertFailsStartup(
				this.contextRunner.withBean("api", ValueApi.class,
						() -> ProxyFactory.getProxy(ValueApi.class, (MethodInterceptor) (invocation) -> "value")),
				"@Offload method " + NAME + "$ValueApi.name() returns String, but an offloaded method must return "
						+ "CompletableFuture<T>, CompletionStage<T>, Future<T> or void (with Reactor, also Mono<T> or "
						+ "Flux<T>): the caller gets a future at once and the value only when the body has run.");
	}

	@Test
	void typeLevelAnnotationOnProxiedInterfaceCoversOnlyThatInterface() {
		this.contextRunner
			.withBean("api", TypeLevelApi.class,
					() -> ProxyFactory
						.getProxy(TypeLevelApi.class,
								(MethodInterceptor) (invocation) -> CompletableFuture
									.completedFuture(Thread.currentThread().getName())))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(TypeLevelApi.class).fetch().get(5, TimeUnit.SECONDS))
					.startsWith("io-worker-");
			});
	}

	@Test
	void unknownExecutorFailsStartupListingConfiguredExecutors() {
		this.contextRunner.withBean(UnknownExecutor.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(OffloadConfigurationException.class)
				.hasMessage("@Offload method dev.offload.aop.OffloadAnnotationBeanPostProcessorTests$UnknownExecutor"
						+ ".run() names executor 'jdbcc', which is not configured. Configured executors: default, io.");
		});
	}

	@Test
	void invalidTimeoutFailsStartup() {
		this.contextRunner.withBean(InvalidTimeout.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(OffloadConfigurationException.class)
				.hasMessageContaining("InvalidTimeout.run() has timeout 'soon', which is not a positive duration");
		});
	}

	@Test
	void disabledRunsBodyOnCallerThread() {
		this.contextRunner.withBean(ReturnTypes.class).withPropertyValues("offload.enabled=false").run((context) -> {
			ReturnTypes bean = context.getBean(ReturnTypes.class);
			String caller = Thread.currentThread().getName();
			CompletableFuture<String> future = bean.completableFuture("x");
			assertThat(future).isDone();
			assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("x@" + caller);
		});
	}

	static class ReturnTypes {

		final CountDownLatch ran = new CountDownLatch(1);

		final AtomicReference<String> thread = new AtomicReference<>();

		// Accessors, because the test holds the proxy, whose own fields are not the
		// target's.
		public CountDownLatch ran() {
			return this.ran;
		}

		public AtomicReference<String> thread() {
			return this.thread;
		}

		@Offload("io")
		public CompletableFuture<String> completableFuture(String value) {
			return CompletableFuture.completedFuture(value + "@" + Thread.currentThread().getName());
		}

		@Offload(executor = "io")
		public CompletionStage<String> completionStage(String value) {
			return CompletableFuture.completedFuture(value + "@" + Thread.currentThread().getName());
		}

		@Offload("io")
		public Future<String> future(String value) {
			return CompletableFuture.completedFuture(value + "@" + Thread.currentThread().getName());
		}

		@Offload("io")
		public void fireAndForget() {
			this.thread.set(Thread.currentThread().getName());
			this.ran.countDown();
		}

		@Offload("io")
		public void failAndForget() {
			throw new IllegalStateException("lost?");
		}

		@Offload("io")
		public CompletableFuture<String> failing(RuntimeException ex) {
			throw ex;
		}

		@Offload("io")
		public CompletableFuture<String> failingChecked(Exception ex) throws Exception {
			throw ex;
		}

		@Offload("io")
		public CompletableFuture<String> failedFuture(RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}

		@Offload("io")
		public CompletableFuture<String> waitFor(CountDownLatch latch) throws InterruptedException {
			latch.await(5, TimeUnit.SECONDS);
			return CompletableFuture.completedFuture("released");
		}

	}

	@Offload
	static class TypeLevel {

		@Offload("io")
		public CompletableFuture<String> first() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		public CompletableFuture<String> second() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@Override
		public String toString() {
			return "TypeLevel";
		}

	}

	static class Placeholders {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch interrupted = new CountDownLatch(1);

		public CountDownLatch started() {
			return this.started;
		}

		final AtomicReference<String> thread = new AtomicReference<>();

		// Accessors, because the test holds the proxy, whose own fields are not the
		// target's.
		public CountDownLatch interrupted() {
			return this.interrupted;
		}

		public AtomicReference<String> thread() {
			return this.thread;
		}

		@Offload(executor = "${app.executor}", timeout = "${app.timeout}")
		public CompletableFuture<String> slow() {
			this.thread.set(Thread.currentThread().getName());
			this.started.countDown();
			try {
				Thread.sleep(10_000);
			}
			catch (InterruptedException ex) {
				this.interrupted.countDown();
			}
			return CompletableFuture.completedFuture("late");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class TransactionConfiguration {

		@Bean(destroyMethod = "shutdown")
		org.springframework.jdbc.datasource.embedded.EmbeddedDatabase dataSource() {
			return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2).generateUniqueName(true).build();
		}

		@Bean
		PlatformTransactionManager transactionManager(DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

		@Bean
		TransactionalService transactionalService() {
			return new TransactionalService();
		}

	}

	static class TransactionalService {

		@Offload("io")
		@Transactional
		public CompletableFuture<String> inTransaction() {
			String state = TransactionSynchronizationManager.isActualTransactionActive() ? "active" : "none";
			return CompletableFuture.completedFuture(state + "@" + Thread.currentThread().getName());
		}

	}

	@Offload("io")
	static class ListenerAndConsumer implements ApplicationListener<PayloadApplicationEvent<String>>, Consumer<String> {

		private final BlockingQueue<String> seen;

		ListenerAndConsumer(BlockingQueue<String> seen) {
			this.seen = seen;
		}

		@Override
		public void onApplicationEvent(PayloadApplicationEvent<String> event) {
			this.seen.add(event.getPayload() + "@" + Thread.currentThread().getName());
		}

		@Override
		public void accept(String value) {
			this.seen.add(value + "@" + Thread.currentThread().getName());
		}

	}

	static class BaseService {

		public CompletableFuture<String> inherited() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

	@Offload("io")
	interface OffloadedDefaults {

		default CompletableFuture<String> fromDefault() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

	@Offload("io")
	static class TypeLevelSubclass extends BaseService implements OffloadedDefaults {

	}

	@Retention(RetentionPolicy.RUNTIME)
	@Target(ElementType.METHOD)
	@Offload("io")
	@interface OnIo {

	}

	@Retention(RetentionPolicy.RUNTIME)
	@Target(ElementType.METHOD)
	@Async
	@interface InBackground {

	}

	static class ComposedOffload {

		@OnIo
		public CompletableFuture<String> composed() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

	static class ComposedBoth {

		@OnIo
		@InBackground
		public CompletableFuture<String> composed() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

	static class AsyncAndOffload {

		@Async
		@Offload("io")
		public CompletableFuture<String> both() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

	@Async
	static class AsyncType {

		@Offload("io")
		public CompletableFuture<String> offloaded() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

	@Offload("io")
	static class OffloadType {

		@Async
		public CompletableFuture<String> async() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncConfiguration {

	}

	static class WrongReturnType {

		@Offload
		public String load(String key) {
			return key;
		}

	}

	@Offload
	static class TypeLevelWithValueMethod {

		public CompletableFuture<String> fine() {
			return CompletableFuture.completedFuture("fine");
		}

		public String name() {
			return "name";
		}

	}

	static class PrivateMethod {

		@Offload
		private void hidden() {
		}

	}

	static class FinalMethod {

		@Offload
		public final void sealed() {
		}

	}

	static class StaticMethod {

		@Offload
		public static void shared() {
		}

	}

	static class NonPublicMethods {

		@Offload("io")
		protected CompletableFuture<String> protectedMethod() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@Offload("io")
		CompletableFuture<String> packagePrivateMethod() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

	static class InheritsPackagePrivate extends PackagePrivateOffload {

	}

	interface Api {

		CompletableFuture<String> fetch(String value);

	}

	static class FinalImplementation implements Api {

		@Offload("io")
		@Override
		public final CompletableFuture<String> fetch(String value) {
			return CompletableFuture.completedFuture(value + "@" + Thread.currentThread().getName());
		}

	}

	static class ExtraMethod implements Api {

		@Override
		public CompletableFuture<String> fetch(String value) {
			return CompletableFuture.completedFuture(value);
		}

		@Offload("io")
		public CompletableFuture<String> extra() {
			return CompletableFuture.completedFuture("extra");
		}

	}

	@Offload("io")
	static class TypeLevelImplementation implements Api {

		@Override
		public CompletableFuture<String> fetch(String value) {
			return CompletableFuture.completedFuture(value + "@" + Thread.currentThread().getName());
		}

		// Not on Api: the interface-based proxy does not expose it, so type-level
		// @Offload does not cover it (a class-based proxy would refuse its return type).
		public String helper() {
			return "helper";
		}

	}

	interface OffloadedApi {

		@Offload("io")
		CompletableFuture<String> fetch(String value);

	}

	interface ValueApi {

		@Offload("io")
		String name();

	}

	@Offload("io")
	interface TypeLevelApi {

		CompletableFuture<String> fetch();

	}

	static class UnknownExecutor {

		@Offload("jdbcc")
		public void run() {
		}

	}

	static class InvalidTimeout {

		@Offload(timeout = "soon")
		public void run() {
		}

	}

}
