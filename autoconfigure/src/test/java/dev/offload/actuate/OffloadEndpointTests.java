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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import dev.offload.actuate.OffloadEndpoint.BeanExecutorDescriptor;
import dev.offload.actuate.OffloadEndpoint.PlatformExecutorDescriptor;
import dev.offload.actuate.OffloadEndpoint.VirtualExecutorDescriptor;
import dev.offload.context.ContextPropagator;
import dev.offload.executor.BeanOffloadExecutor;
import dev.offload.executor.DefaultOffloader;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.executor.VirtualOffloadExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OffloadEndpoint}.
 */
class OffloadEndpointTests {

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

	private CompletableFuture<String> blockingCall(DefaultOffloader offloader, CountDownLatch started) {
		return offloader.call(() -> {
			started.countDown();
			this.release.await(5, TimeUnit.SECONDS);
			return "done";
		});
	}

	@Test
	void platformPoolReportsItsSettingsAndState() throws Exception {
		PlatformOffloadExecutor jdbc = new PlatformOffloadExecutor("jdbc", 2, 2, 10, Duration.ofSeconds(60),
				"offload-jdbc-", Duration.ofSeconds(5), Duration.ofSeconds(1), ContextPropagator.NONE);
		OffloadExecutors executors = registry(jdbc);
		DefaultOffloader offloader = new DefaultOffloader(executors);
		assertThat(offloader.call(() -> "warm").get(5, TimeUnit.SECONDS)).isEqualTo("warm");
		CountDownLatch started = new CountDownLatch(2);
		List<CompletableFuture<String>> blocked = List.of(blockingCall(offloader, started),
				blockingCall(offloader, started), blockingCall(offloader, started));
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		OffloadEndpoint.OffloadDescriptor descriptor = new OffloadEndpoint(executors).offload();
		assertThat(descriptor.executors()).containsOnlyKeys("jdbc");
		assertThat(descriptor.executors().get("jdbc")).isEqualTo(new PlatformExecutorDescriptor("platform", 2, 1, 2, 2,
				2, 10, 1, 0, 0, "PT5S", false, null, null, null, null, null, null));
		this.release.countDown();
		for (CompletableFuture<String> future : blocked) {
			assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		}
	}

	@Test
	void countsRejectedAndTimedOutCalls() throws Exception {
		PlatformOffloadExecutor tiny = new PlatformOffloadExecutor("tiny", 1, 1, 0, Duration.ofSeconds(60),
				"offload-tiny-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
		PlatformOffloadExecutor slow = new PlatformOffloadExecutor("slow", 1, 1, 0, Duration.ofSeconds(60),
				"offload-slow-", Duration.ofMillis(50), Duration.ofSeconds(1), ContextPropagator.NONE);
		OffloadExecutors executors = registry(tiny, slow);
		DefaultOffloader offloader = new DefaultOffloader(executors);
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<String> running = blockingCall(offloader, started);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(offloader.call(() -> "rejected")).isCompletedExceptionally();
		assertThat(blockingCall((DefaultOffloader) offloader.executor("slow"), new CountDownLatch(1))).failsWithin(5,
				TimeUnit.SECONDS);
		OffloadEndpoint.OffloadDescriptor descriptor = new OffloadEndpoint(executors).offload();
		PlatformExecutorDescriptor tinyDescriptor = (PlatformExecutorDescriptor) descriptor.executors().get("tiny");
		assertThat(tinyDescriptor.queueCapacity()).isZero();
		assertThat(tinyDescriptor.rejected()).isEqualTo(1);
		assertThat(tinyDescriptor.timedOut()).isZero();
		PlatformExecutorDescriptor slowDescriptor = (PlatformExecutorDescriptor) descriptor.executors().get("slow");
		assertThat(slowDescriptor.rejected()).isZero();
		assertThat(slowDescriptor.timedOut()).isEqualTo(1);
		assertThat(slowDescriptor.timeout()).isEqualTo("PT0.05S");
		this.release.countDown();
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("done");
	}

	@Test
	void executorWithoutTimeoutOmitsIt() {
		PlatformOffloadExecutor io = new PlatformOffloadExecutor("io", 1, 1, 1, Duration.ofSeconds(60), "offload-io-",
				null, Duration.ofSeconds(1), ContextPropagator.NONE);
		OffloadEndpoint endpoint = new OffloadEndpoint(registry(io));
		assertThat(((PlatformExecutorDescriptor) endpoint.offload().executors().get("io")).timeout()).isNull();
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void virtualExecutorReportsRunningAndWaitingCalls() throws Exception {
		VirtualOffloadExecutor http = new VirtualOffloadExecutor("http", 1, 4, "offload-http-", null,
				Duration.ofSeconds(1), ContextPropagator.NONE);
		VirtualOffloadExecutor fan = new VirtualOffloadExecutor("fan", null, 0, "offload-fan-", null,
				Duration.ofSeconds(1), ContextPropagator.NONE);
		OffloadExecutors executors = registry(http, fan);
		DefaultOffloader offloader = new DefaultOffloader(executors);
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<String> running = blockingCall(offloader, started);
		CompletableFuture<String> waiting = blockingCall(offloader, new CountDownLatch(1));
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		OffloadEndpoint.OffloadDescriptor descriptor = new OffloadEndpoint(executors).offload();
		assertThat(descriptor.executors().get("http")).isEqualTo(new VirtualExecutorDescriptor("virtual", 1, 1, 1, 4, 0,
				0, null, false, null, null, null, null, null, null));
		assertThat(descriptor.executors().get("fan")).isEqualTo(new VirtualExecutorDescriptor("virtual", 0, 0, null, 0,
				0, 0, null, false, null, null, null, null, null, null));
		this.release.countDown();
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("done");
	}

	@Test
	void beanExecutorReportsTheBeanAndWhatItCanRead() throws Exception {
		this.reportExecutor.setCorePoolSize(1);
		this.reportExecutor.initialize();
		Executor opaque = Runnable::run;
		BeanOffloadExecutor reports = new BeanOffloadExecutor("reports", "reportExecutor", this.reportExecutor, null,
				Duration.ofSeconds(1), ContextPropagator.NONE);
		BeanOffloadExecutor direct = new BeanOffloadExecutor("direct", "directExecutor", opaque, Duration.ofSeconds(2),
				Duration.ofSeconds(1), ContextPropagator.NONE);
		OffloadExecutors executors = registry(reports, direct);
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<String> running = blockingCall(new DefaultOffloader(executors), started);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		OffloadEndpoint.OffloadDescriptor descriptor = new OffloadEndpoint(executors).offload();
		assertThat(descriptor.executors().get("reports"))
			.isEqualTo(new BeanExecutorDescriptor("platform", "reportExecutor", 1, 0, 0, 0, null, null, null));
		assertThat(descriptor.executors().get("direct"))
			.isEqualTo(new BeanExecutorDescriptor("platform", "directExecutor", null, null, 0, 0, "PT2S", null, null));
		this.release.countDown();
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("done");
	}

}
