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
package dev.offload.benchmarks;

import java.util.concurrent.CompletableFuture;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * What a Spring user writes without Offload: {@code @EnableAsync}, an {@code @Async} bean
 * and a {@link ThreadPoolTaskExecutor} with Spring's
 * {@link ContextPropagatingTaskDecorator}. The MDC needs {@link Slf4jThreadLocalAccessor}
 * registered by hand; Spring Security's accessor registers itself through the
 * {@code ServiceLoader}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
public class SpringAsyncConfig {

	@Bean
	ThreadPoolTaskExecutor taskExecutor() {
		ContextRegistry.getInstance().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(OffloadApp.POOL_SIZE);
		executor.setMaxPoolSize(OffloadApp.POOL_SIZE);
		executor.setQueueCapacity(OffloadApp.QUEUE_CAPACITY);
		executor.setThreadNamePrefix("async-");
		executor.setTaskDecorator(new ContextPropagatingTaskDecorator());
		return executor;
	}

	@Bean
	AsyncService asyncService() {
		return new AsyncService();
	}

	/**
	 * The {@code @Async} bean.
	 */
	public static class AsyncService {

		@Async
		public CompletableFuture<Seen> look() {
			return CompletableFuture.completedFuture(Seen.look());
		}

	}

}
