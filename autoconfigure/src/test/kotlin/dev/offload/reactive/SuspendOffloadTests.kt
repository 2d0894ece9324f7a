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

package dev.offload.reactive

import dev.offload.Offload
import dev.offload.Offloader
import dev.offload.ReactiveOffloader
import dev.offload.OffloadConfigurationException
import dev.offload.autoconfigure.MetricsAutoConfigurations
import dev.offload.autoconfigure.OffloadAutoConfiguration
import dev.offload.autoconfigure.OffloadMetricsAutoConfiguration
import dev.offload.executor.BlockingBody
import dev.offload.executor.Latches
import dev.offload.executor.OffloadExecutors
import dev.offload.executor.OffloadOutcome
import io.micrometer.core.instrument.MeterRegistry
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.future.await
import kotlinx.coroutines.launch
import kotlinx.coroutines.reactor.asCoroutineContext
import kotlinx.coroutines.reactor.awaitSingle
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.catchThrowable
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.slf4j.MDC
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.FilteredClassLoader
import org.springframework.boot.test.context.assertj.AssertableApplicationContext
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import org.springframework.security.authentication.TestingAuthenticationToken
import org.springframework.security.core.Authentication
import org.springframework.security.core.context.ReactiveSecurityContextHolder
import org.springframework.security.core.context.SecurityContextHolder
import org.springframework.test.util.AopTestUtils
import java.io.IOException
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CountDownLatch
import java.util.concurrent.RejectedExecutionException
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

/**
 * Tests for `@Offload` on Kotlin `suspend` functions, through Spring's coroutine support
 * in AOP, and for awaiting the `Offloader` and `ReactiveOffloader` from a coroutine.
 */
class SuspendOffloadTests {

	private val contextRunner = ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration::class.java,
				OffloadMetricsAutoConfiguration::class.java))
		.withConfiguration(MetricsAutoConfigurations.registry())
		.withPropertyValues("offload.executors.io.core-size=1", "offload.executors.io.queue-capacity=1")
		.withUserConfiguration(SuspendConfiguration::class.java)

	@AfterEach
	fun cleanUp() {
		MDC.clear()
		SecurityContextHolder.clearContext()
	}

	private fun proxy(context: AssertableApplicationContext) = context.getBean(SuspendService::class.java)

	private fun target(context: AssertableApplicationContext): SuspendService =
		AopTestUtils.getTargetObject(proxy(context))

	private fun calls(context: AssertableApplicationContext, method: String, outcome: OffloadOutcome): Long =
		context.getBean(MeterRegistry::class.java).find("offload.calls")
			.tags("executor", "io", "class", SuspendService::class.java.name, "method", method, "outcome",
					outcome.tagValue())
			.timer()?.count() ?: 0

	private fun io(context: AssertableApplicationContext) = context.getBean(OffloadExecutors::class.java).get("io")

	@Test
	fun suspendFunctionReturnsTheValueComputedOnTheWorker() {
		contextRunner.run { context ->
			val value = runBlocking { proxy(context).load() }
			assertThat(value).isEqualTo("value")
			assertThat(target(context).threads).singleElement().asString().startsWith("offload-io-")
			assertThat(calls(context, "load", OffloadOutcome.SUCCESS)).isEqualTo(1)
		}
	}

	@Test
	fun suspendFunctionReturnsNull() {
		contextRunner.run { context ->
			target(context).body = { null }
			assertThat(runBlocking { proxy(context).load() }).isNull()
		}
	}

	@Test
	fun suspendFunctionThrowsTheSameExceptionInstance() {
		contextRunner.run { context ->
			val failure = IOException("thrown by the body")
			target(context).body = { throw failure }
			val thrown = catchThrowable { runBlocking { proxy(context).load() } }
			assertThat(thrown).isSameAs(failure)
			assertThat(calls(context, "load", OffloadOutcome.ERROR)).isEqualTo(1)
		}
	}

	@Test
	fun callerSuspendsWithoutBlockingItsThread() {
		contextRunner.run { context ->
			val release = CountDownLatch(1)
			target(context).body = { if (release.await(Latches.SECONDS, TimeUnit.SECONDS)) "released" else "blocked" }
			// One thread for the caller: were it blocked by the call, it could not release the
			// body.
			val result = runBlocking {
				val call = async { proxy(context).load() }
				yield()
				release.countDown()
				call.await()
			}
			assertThat(result).isEqualTo("released")
		}
	}

	@Test
	fun coroutineCancellationInterruptsTheRunningBody() {
		contextRunner.run { context ->
			val body = BlockingBody.until(CountDownLatch(1))
			target(context).body = { body.call() }
			runBlocking {
				val job = launch { proxy(context).load() }
				withContext(Dispatchers.IO) { assertThat(body.awaitStarted()).isTrue() }
				job.cancelAndJoin()
			}
			assertThat(body.awaitInterrupted()).isTrue()
			await().atMost(Duration.ofSeconds(Latches.SECONDS)).until { calls(context, "load", OffloadOutcome.CANCELLED) == 1L }
		}
	}

	@Test
	fun coroutineCancellationDropsAQueuedCall() {
		contextRunner.run { context ->
			val release = CountDownLatch(1)
			val running = BlockingBody.until(release)
			val queued = BlockingBody.until(release)
			runBlocking {
				target(context).body = { running.call() }
				val first = launch { proxy(context).load() }
				withContext(Dispatchers.IO) { assertThat(running.awaitStarted()).isTrue() }
				target(context).body = { queued.call() }
				val second = launch { proxy(context).load() }
				withContext(Dispatchers.IO) {
					await().atMost(Duration.ofSeconds(Latches.SECONDS)).until { io(context).queueSize == 1 }
				}
				second.cancelAndJoin()
				assertThat(io(context).queueSize).isZero()
				release.countDown()
				first.join()
				target(context).body = { "after" }
				assertThat(proxy(context).load()).isEqualTo("after")
			}
			assertThat(queued.hasStarted()).isFalse()
		}
	}

	@Test
	fun saturatedExecutorThrowsRejectedExecutionException() {
		contextRunner.withPropertyValues("offload.executors.io.queue-capacity=0").run { context ->
			val release = CountDownLatch(1)
			val running = BlockingBody.until(release)
			try {
				runBlocking {
					target(context).body = { running.call() }
					val first = launch { proxy(context).load() }
					withContext(Dispatchers.IO) { assertThat(running.awaitStarted()).isTrue() }
					val thrown = catchThrowable { runBlocking { proxy(context).load() } }
					assertThat(thrown).isInstanceOf(RejectedExecutionException::class.java)
					release.countDown()
					first.join()
				}
			}
			finally {
				release.countDown()
			}
			assertThat(calls(context, "load", OffloadOutcome.REJECTED)).isEqualTo(1)
		}
	}

	@Test
	fun timeoutThrowsTimeoutExceptionAndInterruptsTheBody() {
		contextRunner.run { context ->
			val body = BlockingBody.until(CountDownLatch(1))
			target(context).body = { body.call() }
			val thrown = catchThrowable { runBlocking { proxy(context).loadWithTimeout() } }
			assertThat(thrown).isInstanceOf(TimeoutException::class.java).hasMessageContaining("timed out after 300ms")
			assertThat(body.awaitInterrupted()).isTrue()
			assertThat(calls(context, "loadWithTimeout", OffloadOutcome.TIMEOUT)).isEqualTo(1)
		}
	}

	@Test
	fun bodySeesTheCallersMdcAndAuthentication() {
		contextRunner.run { context ->
			val alice = TestingAuthenticationToken("alice", "pw")
			runBlocking {
				MDC.put("requestId", "r-kt")
				SecurityContextHolder.getContext().authentication = alice
				proxy(context).load()
			}
			assertThat(target(context).requestId).isEqualTo("r-kt")
			assertThat(target(context).authentication).isSameAs(alice)
		}
	}

	@Test
	fun bodySeesTheReactiveSecurityContextOfTheCoroutine() {
		contextRunner.run { context ->
			val alice = TestingAuthenticationToken("alice", "pw")
			// A WebFlux suspend handler runs with the request's Reactor Context as a coroutine
			// context element; Spring's proxy subscribes with it.
			runBlocking(ReactiveSecurityContextHolder.withAuthentication(alice).asCoroutineContext()) {
				proxy(context).load()
			}
			assertThat(target(context).authentication).isSameAs(alice)
			assertThat(SecurityContextHolder.getContext().authentication).isNull()
		}
	}

	@Test
	fun eachCallIsCountedOnce() {
		contextRunner.run { context ->
			runBlocking {
				proxy(context).load()
				proxy(context).load()
			}
			assertThat(calls(context, "load", OffloadOutcome.SUCCESS)).isEqualTo(2)
		}
	}

	@Test
	fun withoutKotlinxCoroutinesReactorASuspendFunctionIsRefused() {
		contextRunner.withClassLoader(FilteredClassLoader("kotlinx.coroutines.reactor")).run { context ->
			assertThat(context).hasFailed()
			var failure: Throwable? = context.startupFailure
			while (failure != null && failure !is OffloadConfigurationException) {
				failure = failure.cause
			}
			assertThat(failure).isInstanceOf(OffloadConfigurationException::class.java)
			val ex = failure as OffloadConfigurationException
			assertThat(ex.description).matches("@Offload method dev\\.offload\\.reactive\\.SuspendService\\."
					+ "load(WithTimeout)?\\(Continuation\\) is a Kotlin suspend function, which needs "
					+ "org\\.jetbrains\\.kotlinx:kotlinx-coroutines-reactor on the classpath \\(Spring's coroutine "
					+ "support in AOP awaits the offloaded call through it\\), and it is missing\\.")
		}
	}

	// Code you don't own, from a coroutine

	@Test
	fun offloaderFutureAwaitedFromACoroutine() {
		contextRunner.run { context ->
			val offloader = context.getBean(Offloader::class.java)
			val thread = runBlocking { offloader.executor("io").call { Thread.currentThread().name }.await() }
			assertThat(thread).startsWith("offload-io-")
		}
	}

	@Test
	fun cancellingAnAwaitedOffloaderFutureDropsAQueuedCallButDoesNotInterruptARunningOne() {
		contextRunner.run { context ->
			val offloader = context.getBean(Offloader::class.java).executor("io")
			val release = CountDownLatch(1)
			val running = BlockingBody.until(release)
			val queued = BlockingBody.until(release)
			runBlocking {
				val first = launch { offloader.call(running).await() }
				withContext(Dispatchers.IO) { assertThat(running.awaitStarted()).isTrue() }
				val second = launch { offloader.call(queued).await() }
				withContext(Dispatchers.IO) {
					await().atMost(Duration.ofSeconds(Latches.SECONDS)).until { io(context).queueSize == 1 }
				}
				second.cancelAndJoin()
				assertThat(io(context).queueSize).isZero()
				// CompletionStage.await() cancels the future with cancel(false): the running
				// body is not interrupted.
				first.cancelAndJoin()
				assertThat(running.wasInterrupted()).isFalse()
				release.countDown()
			}
			assertThat(queued.hasStarted()).isFalse()
		}
	}

	@Test
	fun cancellingAnAwaitedReactiveOffloaderMonoInterruptsTheRunningBody() {
		contextRunner.run { context ->
			val offloader = context.getBean(ReactiveOffloader::class.java).executor("io")
			val body = BlockingBody.until(CountDownLatch(1))
			runBlocking {
				val job = launch { offloader.mono(body).awaitSingle() }
				withContext(Dispatchers.IO) { assertThat(body.awaitStarted()).isTrue() }
				job.cancelAndJoin()
			}
			assertThat(body.awaitInterrupted()).isTrue()
		}
	}

	@Configuration(proxyBeanMethods = false)
	open class SuspendConfiguration {

		@Bean
		open fun suspendService() = SuspendService()

	}

}

open class SuspendService {

	@Volatile
	var body: () -> Any? = { "value" }

	val threads: MutableSet<String> = ConcurrentHashMap.newKeySet()

	@Volatile
	var requestId: String? = null

	@Volatile
	var authentication: Authentication? = null

	@Offload("io")
	open suspend fun load(): Any? {
		threads.add(Thread.currentThread().name)
		requestId = MDC.get("requestId")
		authentication = SecurityContextHolder.getContext().authentication
		return body()
	}

	@Offload(executor = "io", timeout = "300ms")
	open suspend fun loadWithTimeout(): Any? = load()

}
