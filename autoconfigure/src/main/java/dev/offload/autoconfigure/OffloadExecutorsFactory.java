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

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.system.JavaVersion;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;

import dev.offload.autoconfigure.OffloadProperties.Adaptive;
import dev.offload.autoconfigure.OffloadProperties.Executor;
import dev.offload.context.ContextPropagator;
import dev.offload.executor.BeanOffloadExecutor;
import dev.offload.executor.CallLimiter;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.executor.VirtualOffloadExecutor;
import dev.offload.limit.AdaptiveLimiter;
import dev.offload.limit.DropExceptions;
import dev.offload.limit.LimitAlgorithm;

/**
 * Builds the {@link OffloadExecutors} from {@link OffloadProperties}: fills in the
 * defaults, makes an executor virtual or a pool, and logs what became of the pool keys of
 * an executor made virtual by {@code spring.threads.virtual.enabled}. Every setting is
 * checked first by {@link ExecutorPropertiesValidator}, before any thread is started.
 */
final class OffloadExecutorsFactory {

	static final String DEFAULT_EXECUTOR_NAME = "default";

	static final int DEFAULT_POOL_SIZE = 16;

	static final int DEFAULT_QUEUE_CAPACITY = 1000;

	static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(60);

	static final Duration DEFAULT_AWAIT_TERMINATION = Duration.ofSeconds(10);

	static final int DEFAULT_INITIAL_LIMIT = 20;

	static final int DEFAULT_MIN_LIMIT = 1;

	static final int DEFAULT_MAX_LIMIT = 200;

	private static final Log logger = LogFactory.getLog(OffloadExecutorsFactory.class);

	private final OffloadProperties properties;

	private final BeanFactory beanFactory;

	private final Environment environment;

	private final ContextPropagator contextPropagator;

	private final @Nullable TaskDecorator taskDecorator;

	private final JavaVersion javaVersion;

	OffloadExecutorsFactory(OffloadProperties properties, BeanFactory beanFactory, Environment environment,
			ContextPropagator contextPropagator, @Nullable TaskDecorator taskDecorator, JavaVersion javaVersion) {
		this.properties = properties;
		this.beanFactory = beanFactory;
		this.environment = environment;
		this.contextPropagator = contextPropagator;
		this.taskDecorator = taskDecorator;
		this.javaVersion = javaVersion;
	}

	OffloadExecutors create() {
		Map<String, Executor> settings = new LinkedHashMap<>();
		settings.put(DEFAULT_EXECUTOR_NAME, new Executor());
		settings.putAll(this.properties.getExecutors());
		String defaultExecutor = this.properties.getDefaultExecutor();
		new ExecutorPropertiesValidator(this.beanFactory, this.environment, this.javaVersion).validate(settings,
				defaultExecutor);
		List<OffloadExecutor> executors = new ArrayList<>();
		try {
			settings.forEach((name, executor) -> {
				OffloadExecutor created = create(name, executor);
				created.setInheritDeadline(executor.isInheritDeadline());
				executors.add(created);
				if (executor.getAdaptive().isEnabled()) {
					created.setLimiter(createLimiter(name, executor.getAdaptive()));
				}
			});
			executors.forEach((executor) -> executor.setTaskDecorator(this.taskDecorator));
			return new OffloadExecutors(executors, defaultExecutor);
		}
		catch (RuntimeException ex) {
			executors.stream()
				.filter(PlatformOffloadExecutor.class::isInstance)
				.forEach((executor) -> ((PlatformOffloadExecutor) executor).getThreadPoolExecutor().shutdownNow());
			throw ex;
		}
	}

	/**
	 * Returns the concurrency limit of an executor that is virtual only because of
	 * {@code spring.threads.virtual.enabled}, and logs what became of its pool keys.
	 * <p>
	 * Unlike Spring Boot's own executor, which then ignores its pool size, a sized
	 * executor stays a bulkhead: its effective size (max-size, else core-size, at least 1
	 * as for a pool) becomes its max-concurrency, and its queue-capacity the queue of
	 * calls waiting for a permit. Keys that no longer apply are named in the same INFO
	 * line instead of being dropped silently.
	 * @param name the executor's name
	 * @param executor its settings
	 * @param queueCapacity its effective queue capacity
	 * @return the limit, or {@code null} for none
	 */
	private @Nullable Integer implicitlyVirtualMaxConcurrency(String name, Executor executor, int queueCapacity) {
		String prefix = "offload.executors." + name + ".";
		List<String> ignored = new ArrayList<>();
		Integer maxConcurrency = implicitMaxConcurrency(executor);
		String source = null;
		if (executor.getMaxConcurrency() != null) {
			ExecutorPropertiesValidator.addIfSet(ignored, prefix + "core-size", executor.getCoreSize());
			ExecutorPropertiesValidator.addIfSet(ignored, prefix + "max-size", executor.getMaxSize());
		}
		else if (executor.getMaxSize() != null) {
			source = "max-size";
			ExecutorPropertiesValidator.addIfSet(ignored, prefix + "core-size", executor.getCoreSize());
		}
		else if (executor.getCoreSize() != null) {
			source = "core-size";
		}
		ExecutorPropertiesValidator.addIfSet(ignored, prefix + "keep-alive", executor.getKeepAlive());
		if (maxConcurrency == null) {
			ExecutorPropertiesValidator.addIfSet(ignored, prefix + "queue-capacity", executor.getQueueCapacity());
		}
		if (source == null && ignored.isEmpty()) {
			return maxConcurrency;
		}
		StringBuilder message = new StringBuilder("Offload executor '").append(name)
			.append("' uses virtual threads (spring.threads.virtual.enabled)");
		if (maxConcurrency != null) {
			message.append(" and stays a bulkhead: max-concurrency ").append(maxConcurrency);
			if (source != null) {
				message.append(" (from ").append(source).append(")");
			}
			message.append(", queue-capacity ").append(queueCapacity);
		}
		else {
			message.append(" with no limit on concurrent calls");
		}
		if (!ignored.isEmpty()) {
			message.append("; not applicable, ignored: ").append(String.join(", ", ignored));
		}
		message.append(". Set ");
		if (maxConcurrency == null) {
			message.append(prefix).append("max-concurrency to bound it, or ");
		}
		logger.info(message.append(prefix).append("virtual=false to keep a pool of platform threads."));
		return maxConcurrency;
	}

	/**
	 * The concurrency limit of a virtual executor that does not set {@code virtual}
	 * (virtual through {@code spring.threads.virtual.enabled}): {@code max-concurrency},
	 * else the pool's {@code max-size}, else its {@code core-size}, else none.
	 */
	static @Nullable Integer implicitMaxConcurrency(Executor executor) {
		if (executor.getMaxConcurrency() != null) {
			return executor.getMaxConcurrency();
		}
		if (executor.getMaxSize() != null) {
			return executor.getMaxSize();
		}
		return (executor.getCoreSize() != null) ? Integer.valueOf(Math.max(executor.getCoreSize(), 1)) : null;
	}

	static int queueCapacity(Executor executor) {
		return (executor.getQueueCapacity() != null) ? executor.getQueueCapacity() : DEFAULT_QUEUE_CAPACITY;
	}

	/**
	 * The core size of a pool of platform threads with fixed sizes.
	 */
	static int coreSize(Executor executor) {
		return (executor.getCoreSize() != null) ? executor.getCoreSize()
				: (executor.getMaxSize() != null) ? executor.getMaxSize() : DEFAULT_POOL_SIZE;
	}

	/**
	 * The maximum size of a pool of platform threads with fixed sizes.
	 */
	static int maxSize(Executor executor) {
		return (executor.getMaxSize() != null) ? executor.getMaxSize() : Math.max(coreSize(executor), 1);
	}

	static int minLimit(Adaptive adaptive) {
		return (adaptive.getMinLimit() != null) ? adaptive.getMinLimit() : DEFAULT_MIN_LIMIT;
	}

	static int maxLimit(Adaptive adaptive) {
		return (adaptive.getMaxLimit() != null) ? adaptive.getMaxLimit() : DEFAULT_MAX_LIMIT;
	}

	/**
	 * Returns the initial limit of an adaptive executor: as set, else the default within
	 * its bounds.
	 */
	static int initialLimit(Adaptive adaptive) {
		if (adaptive.getInitialLimit() != null) {
			return adaptive.getInitialLimit();
		}
		return Math.min(maxLimit(adaptive), Math.max(minLimit(adaptive), DEFAULT_INITIAL_LIMIT));
	}

	static ClassLoader classLoader(BeanFactory beanFactory) {
		ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable)
				? configurable.getBeanClassLoader() : null;
		return (classLoader != null) ? classLoader : OffloadExecutorsFactory.class.getClassLoader();
	}

	/**
	 * Builds the limiter of an adaptive executor; only called once the settings are
	 * checked, and so with concurrency-limits on the classpath.
	 */
	private CallLimiter createLimiter(String name, Adaptive adaptive) {
		String algorithmName = adaptive.getAlgorithm();
		LimitAlgorithm algorithm = (algorithmName != null) ? LimitAlgorithm.of(algorithmName) : null;
		ClassLoader classLoader = classLoader(this.beanFactory);
		List<String> dropExceptions = adaptive.getDropExceptions();
		DropExceptions drops = (dropExceptions != null) ? DropExceptions.of(dropExceptions, classLoader)
				: DropExceptions.defaults(classLoader);
		return new AdaptiveLimiter(name, (algorithm != null) ? algorithm : LimitAlgorithm.DEFAULT,
				initialLimit(adaptive), minLimit(adaptive), maxLimit(adaptive), drops);
	}

	/**
	 * Returns whether the executor runs its calls on virtual threads: as set, else as
	 * {@code spring.threads.virtual.enabled} says on Java 21 or later.
	 */
	static boolean isVirtual(Executor executor, Environment environment, JavaVersion javaVersion) {
		if (executor.getVirtual() != null) {
			return executor.getVirtual();
		}
		// Spring Boot's Threading.VIRTUAL.isActive(environment), spelled out: Threading
		// is in org.springframework.boot.autoconfigure.thread in Boot 3.5 and in
		// org.springframework.boot.thread in Boot 4, so linking either breaks the other.
		return environment.getProperty("spring.threads.virtual.enabled", boolean.class, false)
				&& javaVersion.isEqualOrNewerThan(JavaVersion.TWENTY_ONE);
	}

	private OffloadExecutor create(String name, Executor executor) {
		Duration awaitTermination = (executor.getAwaitTermination() != null) ? executor.getAwaitTermination()
				: DEFAULT_AWAIT_TERMINATION;
		if (executor.getBean() != null) {
			java.util.concurrent.Executor bean = this.beanFactory.getBean(executor.getBean(),
					java.util.concurrent.Executor.class);
			return new BeanOffloadExecutor(name, executor.getBean(), bean, executor.getTimeout(), awaitTermination,
					this.contextPropagator);
		}
		String threadNamePrefix = (executor.getThreadNamePrefix() != null) ? executor.getThreadNamePrefix()
				: "offload-" + name + "-";
		int queueCapacity = queueCapacity(executor);
		boolean adaptive = executor.getAdaptive().isEnabled();
		if (isVirtual(executor, this.environment, this.javaVersion)) {
			// An adaptive executor has permits from the start: its limiter sets how many.
			Integer maxConcurrency = adaptive ? Integer.valueOf(initialLimit(executor.getAdaptive()))
					: (executor.getVirtual() != null) ? executor.getMaxConcurrency()
							: implicitlyVirtualMaxConcurrency(name, executor, queueCapacity);
			return new VirtualOffloadExecutor(name, maxConcurrency, queueCapacity, threadNamePrefix,
					executor.getTimeout(), awaitTermination, this.contextPropagator);
		}
		// An adaptive pool's core and maximum sizes are its limit, which its limiter
		// moves.
		int coreSize = adaptive ? initialLimit(executor.getAdaptive()) : coreSize(executor);
		int maxSize = adaptive ? Math.max(coreSize, 1) : maxSize(executor);
		Duration keepAlive = (executor.getKeepAlive() != null) ? executor.getKeepAlive() : DEFAULT_KEEP_ALIVE;
		return new PlatformOffloadExecutor(name, coreSize, maxSize, queueCapacity, keepAlive, threadNamePrefix,
				executor.getTimeout(), awaitTermination, this.contextPropagator);
	}

}
