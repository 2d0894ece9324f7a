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

package dev.offload.actuate;

import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import dev.offload.actuate.OffloadEndpoint.PlatformExecutorDescriptor;
import dev.offload.actuate.OffloadEndpoint.VirtualExecutorDescriptor;
import dev.offload.actuate.OffloadEndpointWebExtension.ResizeRefused;
import dev.offload.context.ContextPropagator;
import dev.offload.executor.BeanOffloadExecutor;
import dev.offload.executor.DefaultOffloader;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.executor.VirtualOffloadExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the write operation of {@link OffloadEndpoint} and of its
 * {@link OffloadEndpointWebExtension}: checks, messages, the change applied and logged.
 * Over HTTP, with security and the default access, in the sample application's
 * {@code ResizeTests}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OffloadEndpointResizeTests {

	private static final SecurityContext ALICE = securityContext("alice");

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<OffloadExecutors> registries = new ArrayList<>();

	private final ThreadPoolTaskExecutor reportExecutor = new ThreadPoolTaskExecutor();

	@AfterEach
	void close() {
		this.release.countDown();
		this.registries.forEach(OffloadExecutors::close);
		this.reportExecutor.shutdown();
	}

	private OffloadExecutors registry(OffloadExecutor... executors) {
		OffloadExecutors registry = new OffloadExecutors(List.of(executors), executors[0].getName());
		this.registries.add(registry);
		return registry;
	}

	private static PlatformOffloadExecutor platform(int coreSize, int maxSize, int queueCapacity) {
		return new PlatformOffloadExecutor("jdbc", coreSize, maxSize, queueCapacity, Duration.ofSeconds(60),
				"offload-jdbc-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
	}

	private static SecurityContext securityContext(@Nullable String name) {
		return new SecurityContext() {

			@Override
			public @Nullable Principal getPrincipal() {
				return (name != null) ? () -> name : null;
			}

			@Override
			public boolean isUserInRole(String role) {
				return false;
			}

		};
	}

	@Test
	void resizesAPlatformPoolAndLogsWhoDidIt(CapturedOutput output) {
		PlatformOffloadExecutor executor = platform(2, 4, 10);
		OffloadEndpoint endpoint = new OffloadEndpoint(registry(executor));
		PlatformExecutorDescriptor resized = (PlatformExecutorDescriptor) endpoint.resize("jdbc", 6, 8, 50, null, "3s",
				null, null, ALICE);
		assertThat(resized).isNotNull();
		assertThat(resized.coreSize()).isEqualTo(6);
		assertThat(resized.maxSize()).isEqualTo(8);
		assertThat(resized.queueCapacity()).isEqualTo(50);
		assertThat(resized.timeout()).isEqualTo("PT3S");
		assertThat(executor.getThreadPoolExecutor().getCorePoolSize()).isEqualTo(6);
		assertThat(executor.getThreadPoolExecutor().getQueue().remainingCapacity()).isEqualTo(50);
		assertThat(output).contains("Offload executor 'jdbc' resized by alice: core-size 2 -> 6, max-size 4 -> 8, "
				+ "queue-capacity 10 -> 50, timeout none -> PT3S");
	}

	@Test
	void shrinksBelowTheCurrentCoreSize() {
		PlatformOffloadExecutor executor = platform(8, 8, 10);
		OffloadEndpoint endpoint = new OffloadEndpoint(registry(executor));
		endpoint.resize("jdbc", 1, 2, null, null, null, null, null, ALICE);
		assertThat(executor.getCoreSize()).isOne();
		assertThat(executor.getMaxSize()).isEqualTo(2);
		endpoint.resize("jdbc", 5, 5, null, null, null, null, null, ALICE);
		assertThat(executor.getCoreSize()).isEqualTo(5);
		assertThat(executor.getMaxSize()).isEqualTo(5);
		assertRefused(endpoint, "jdbc", null, 3, null, null, null,
				"Invalid offload setting 'offload.executors.jdbc.max-size': it is 3, smaller than core-size (5).");
		assertThat(executor.getMaxSize()).isEqualTo(5);
	}

	@Test
	void givesTheStartupMessageForAnInvalidValue() {
		PlatformOffloadExecutor executor = platform(2, 4, 10);
		OffloadEndpoint endpoint = new OffloadEndpoint(registry(executor));
		assertRefused(endpoint, "jdbc", -1, null, null, null, null,
				"Invalid offload setting 'offload.executors.jdbc.core-size': it is -1, but it must be 0 or more.");
		assertRefused(endpoint, "jdbc", null, 0, null, null, null,
				"Invalid offload setting 'offload.executors.jdbc.max-size': it is 0, but it must be 1 or more.");
		assertRefused(endpoint, "jdbc", 6, null, null, null, null,
				"Invalid offload setting 'offload.executors.jdbc.max-size': it is 4, smaller than core-size (6).");
		assertRefused(endpoint, "jdbc", null, null, -1, null, null,
				"Invalid offload setting 'offload.executors.jdbc.queue-capacity': it is -1, but it must be 0 or more.");
		assertRefused(endpoint, "jdbc", null, null, null, 3, null,
				"Invalid offload setting 'offload.executors.jdbc.max-concurrency': it only applies to virtual "
						+ "executors, and executor 'jdbc' uses platform threads.");
		assertRefused(endpoint, "jdbc", null, null, null, null, "-1s",
				"Invalid offload setting 'offload.executors.jdbc.timeout': it is PT-1S, but it must be positive.");
		assertRefused(endpoint, "jdbc", null, null, null, null, "soon",
				"Invalid offload setting 'offload.executors.jdbc.timeout': it is 'soon', which is not a duration.");
		assertRefused(endpoint, "jdbc", null, null, null, null, null,
				"Invalid offload setting 'offload.executors.jdbc.*': the request changes nothing");
		assertThat(executor.getCoreSize()).isEqualTo(2);
		assertThat(executor.getMaxSize()).isEqualTo(4);
		assertThat(executor.getQueueCapacity()).isEqualTo(10);
		assertThat(executor.getTimeoutNanos()).isZero();
	}

	@Test
	void refusesToResizeABeanExecutorButChangesTheTimeoutOfItsCalls() {
		this.reportExecutor.initialize();
		BeanOffloadExecutor executor = new BeanOffloadExecutor("reports", "reportExecutor", this.reportExecutor, null,
				Duration.ofSeconds(1), ContextPropagator.NONE);
		OffloadEndpoint endpoint = new OffloadEndpoint(registry(executor));
		assertRefused(endpoint, "reports", 2, null, null, null, null,
				"Invalid offload setting 'offload.executors.reports.bean': executor 'reports' runs calls on the "
						+ "application's Executor bean 'reportExecutor', which keeps its owner's settings, "
						+ "so Offload cannot resize it.");
		assertThat(executor.getTimeoutNanos()).isZero();
		assertThat(endpoint.resize("reports", null, null, null, null, "5s", null, null, ALICE))
			.as("the timeout of its calls is Offload's to change")
			.isNotNull();
		assertThat(executor.getTimeoutNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
	}

	@Test
	void unknownExecutorIsNotFound() {
		OffloadEndpoint endpoint = new OffloadEndpoint(registry(platform(1, 1, 1)));
		assertThat(endpoint.resize("nope", 2, 2, null, null, null, null, null, ALICE)).isNull();
		OffloadEndpointWebExtension extension = new OffloadEndpointWebExtension(endpoint);
		assertThat(extension.resize("nope", 2, 2, null, null, null, null, null, ALICE).getStatus()).isEqualTo(404);
	}

	@Test
	void webExtensionAnswersARefusalWithA400AndTheMessage() {
		OffloadEndpoint endpoint = new OffloadEndpoint(registry(platform(2, 4, 10)));
		OffloadEndpointWebExtension extension = new OffloadEndpointWebExtension(endpoint);
		WebEndpointResponse<Object> refused = extension.resize("jdbc", -1, null, null, null, null, null, null, ALICE);
		assertThat(refused.getStatus()).isEqualTo(400);
		assertThat(refused.getBody()).isEqualTo(new ResizeRefused(
				"Invalid offload setting 'offload.executors.jdbc.core-size': it is -1, but it must be 0 or more.",
				"Set offload.executors.jdbc.core-size to 0 or more, or remove it to use the default."));
		WebEndpointResponse<Object> resized = extension.resize("jdbc", 3, null, null, null, null, null, null, ALICE);
		assertThat(resized.getStatus()).isEqualTo(200);
		assertThat(((PlatformExecutorDescriptor) resized.getBody()).coreSize()).isEqualTo(3);
	}

	@Test
	void logsAnUnauthenticatedCaller(CapturedOutput output) {
		OffloadEndpoint endpoint = new OffloadEndpoint(registry(platform(2, 4, 10)));
		endpoint.resize("jdbc", null, null, 20, null, null, null, null, securityContext(null));
		assertThat(output)
			.contains("Offload executor 'jdbc' resized by an unauthenticated caller: queue-capacity 10 -> 20");
	}

	@Test
	void newTimeoutAppliesToCallsMadeFromThenOn() throws Exception {
		PlatformOffloadExecutor executor = platform(2, 2, 10);
		OffloadExecutors registry = registry(executor);
		DefaultOffloader offloader = new DefaultOffloader(registry);
		OffloadEndpoint endpoint = new OffloadEndpoint(registry);
		CompletableFuture<String> before = offloader.call(() -> {
			this.release.await(5, TimeUnit.SECONDS);
			return "before";
		});
		endpoint.resize("jdbc", null, null, null, null, "100ms", null, null, ALICE);
		CompletableFuture<String> after = offloader.call(() -> {
			this.release.await(5, TimeUnit.SECONDS);
			return "after";
		});
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> after.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TimeoutException.class);
		this.release.countDown();
		assertThat(before.get(5, TimeUnit.SECONDS)).as("made before the change: no timeout").isEqualTo("before");
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void resizesAVirtualExecutor(CapturedOutput output) {
		VirtualOffloadExecutor executor = new VirtualOffloadExecutor("http", 2, 10, "offload-http-", null,
				Duration.ofSeconds(1), ContextPropagator.NONE);
		OffloadEndpoint endpoint = new OffloadEndpoint(registry(executor));
		VirtualExecutorDescriptor resized = (VirtualExecutorDescriptor) endpoint.resize("http", null, null, 5, 3, null,
				null, null, ALICE);
		assertThat(resized.maxConcurrency()).isEqualTo(3);
		assertThat(resized.queueCapacity()).isEqualTo(5);
		assertThat(output)
			.contains("Offload executor 'http' resized by alice: max-concurrency 2 -> 3, queue-capacity 10 -> 5");
		assertRefused(endpoint, "http", 4, null, null, null, null,
				"Invalid offload setting 'offload.executors.http.core-size': executor 'http' is virtual "
						+ "(one new thread per call), so it has no pool to size, but core-size is set.");
		assertRefused(endpoint, "http", null, null, null, 0, null,
				"Invalid offload setting 'offload.executors.http.max-concurrency': it is 0, but it must be 1 or more.");
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void refusesToLimitAnUnlimitedVirtualExecutor() {
		VirtualOffloadExecutor executor = new VirtualOffloadExecutor("http", null, 0, "offload-http-", null,
				Duration.ofSeconds(1), ContextPropagator.NONE);
		OffloadEndpoint endpoint = new OffloadEndpoint(registry(executor));
		assertRefused(endpoint, "http", null, null, null, 10, null,
				"Invalid offload setting 'offload.executors.http.max-concurrency': executor 'http' was started "
						+ "without a concurrency limit");
		VirtualExecutorDescriptor resized = (VirtualExecutorDescriptor) endpoint.resize("http", null, null, null, null,
				"2s", null, null, ALICE);
		assertThat(resized.timeout()).isEqualTo("PT2S");
	}

	private static void assertRefused(OffloadEndpoint endpoint, String name, @Nullable Integer coreSize,
			@Nullable Integer maxSize, @Nullable Integer queueCapacity, @Nullable Integer maxConcurrency,
			@Nullable String timeout, String message) {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> endpoint.resize(name, coreSize, maxSize, queueCapacity, maxConcurrency, timeout, null,
					null, ALICE))
			.satisfies((ex) -> assertThat(ex.getReason()).contains(message));
	}

}
