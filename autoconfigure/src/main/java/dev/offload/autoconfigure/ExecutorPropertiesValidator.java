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
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.system.JavaVersion;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import dev.offload.OffloadConfigurationException;
import dev.offload.autoconfigure.OffloadProperties.Adaptive;
import dev.offload.autoconfigure.OffloadProperties.Executor;
import dev.offload.executor.ExecutorSettingsChecks;
import dev.offload.limit.DropExceptions;
import dev.offload.limit.LimitAlgorithm;

/**
 * Checks the {@code offload.*} executor settings before {@link OffloadExecutorsFactory}
 * builds anything, so that a mistake stops the application with the offending key named
 * and a fix suggested, before any thread is started. The checks that also apply to
 * resizing a live executor are {@link ExecutorSettingsChecks}, shared with the
 * {@code offload} endpoint so that both give the same message.
 */
final class ExecutorPropertiesValidator {

	/** A class of Netflix's concurrency-limits, which adaptive limits need. */
	static final String CONCURRENCY_LIMITS_CLASS = "com.netflix.concurrency.limits.Limit";

	static final String CONCURRENCY_LIMITS_DEPENDENCY = "com.netflix.concurrency-limits:concurrency-limits-core";

	private final BeanFactory beanFactory;

	private final Environment environment;

	private final JavaVersion javaVersion;

	ExecutorPropertiesValidator(BeanFactory beanFactory, Environment environment, JavaVersion javaVersion) {
		this.beanFactory = beanFactory;
		this.environment = environment;
		this.javaVersion = javaVersion;
	}

	/**
	 * Checks every executor's settings and that the default executor is one of them.
	 * @param settings the executors by name, the built-in default included
	 * @param defaultExecutor the name in {@code offload.default-executor}
	 * @throws OffloadConfigurationException naming the first offending key
	 */
	void validate(Map<String, Executor> settings, String defaultExecutor) {
		if (!settings.containsKey(defaultExecutor)) {
			throw OffloadConfigurationException.invalidProperty("offload.default-executor",
					"it names '" + defaultExecutor + "', which is not configured. Configured executors: "
							+ String.join(", ", settings.keySet()) + ".",
					"Configure offload.executors." + defaultExecutor + ", or set offload.default-executor to one of: "
							+ String.join(", ", settings.keySet()) + ".");
		}
		settings.forEach(this::check);
	}

	void check(String name, Executor executor) {
		String prefix = ExecutorSettingsChecks.prefix(name);
		checkPositive(prefix + "timeout", executor.getTimeout(), false);
		checkPositive(prefix + "await-termination", executor.getAwaitTermination(), true);
		if (executor.getBean() != null) {
			checkBean(name, executor);
			return;
		}
		if (executor.getAdaptive().isEnabled()) {
			checkAdaptive(name, executor);
		}
		Boolean virtual = executor.getVirtual();
		if (Boolean.TRUE.equals(virtual) && this.javaVersion.isOlderThan(JavaVersion.TWENTY_ONE)) {
			throw OffloadConfigurationException.invalidProperty(prefix + "virtual",
					"virtual threads need Java 21 or later, but this JVM is Java " + this.javaVersion + ".",
					"Run on Java 21 or later, or remove " + prefix + "virtual to use a pool of platform threads.");
		}
		checkAtLeast(prefix + "core-size", executor.getCoreSize(), 0);
		checkAtLeast(prefix + "max-size", executor.getMaxSize(), 1);
		checkAtLeast(prefix + "queue-capacity", executor.getQueueCapacity(), 0);
		checkAtLeast(prefix + "max-concurrency", executor.getMaxConcurrency(), 1);
		checkPositive(prefix + "keep-alive", executor.getKeepAlive(), false);
		ExecutorSettingsChecks.checkMaxSize(name, executor.getCoreSize(), executor.getMaxSize());
		if (Boolean.TRUE.equals(virtual)) {
			ExecutorSettingsChecks.checkNoPoolKeysOnVirtual(name, setKeys(executor, false));
		}
		else if (!OffloadExecutorsFactory.isVirtual(executor, this.environment, this.javaVersion)) {
			ExecutorSettingsChecks.checkNoMaxConcurrencyOnPlatform(name, executor.getMaxConcurrency());
		}
	}

	private void checkAdaptive(String name, Executor executor) {
		String prefix = ExecutorSettingsChecks.prefix(name) + "adaptive.";
		ClassLoader classLoader = OffloadExecutorsFactory.classLoader(this.beanFactory);
		if (!ClassUtils.isPresent(CONCURRENCY_LIMITS_CLASS, classLoader)) {
			throw OffloadConfigurationException.invalidProperty(prefix + "enabled",
					"an adaptive limit runs the algorithms of Netflix's concurrency-limits, which is not on the "
							+ "classpath.",
					"Add the dependency " + CONCURRENCY_LIMITS_DEPENDENCY
							+ " (0.5.4 or later) to the application, or remove " + prefix
							+ "enabled to keep fixed sizes.");
		}
		List<String> sizeKeys = new ArrayList<>();
		addIfSet(sizeKeys, "core-size", executor.getCoreSize());
		addIfSet(sizeKeys, "max-size", executor.getMaxSize());
		addIfSet(sizeKeys, "max-concurrency", executor.getMaxConcurrency());
		ExecutorSettingsChecks.checkNoFixedSizesOnAdaptive(name, sizeKeys);
		Adaptive adaptive = executor.getAdaptive();
		String algorithm = adaptive.getAlgorithm();
		if (algorithm != null && LimitAlgorithm.of(algorithm) == null) {
			throw OffloadConfigurationException.invalidProperty(prefix + "algorithm",
					"it is '" + algorithm + "', which is not an algorithm Offload knows.",
					"Set " + prefix + "algorithm to one of: " + LimitAlgorithm.names()
							+ ", or remove it to use the default (" + LimitAlgorithm.DEFAULT + ").");
		}
		ExecutorSettingsChecks.checkLimits(name, adaptive.getInitialLimit(), OffloadExecutorsFactory.minLimit(adaptive),
				OffloadExecutorsFactory.maxLimit(adaptive));
		List<String> dropExceptions = adaptive.getDropExceptions();
		if (dropExceptions != null) {
			try {
				DropExceptions.of(dropExceptions, classLoader);
			}
			catch (IllegalArgumentException ex) {
				throw OffloadConfigurationException.invalidProperty(prefix + "drop-exceptions", ex.getMessage() + ".",
						"Set " + prefix
								+ "drop-exceptions to fully qualified names of exception classes on the classpath, "
								+ "or remove it to use the defaults.");
			}
		}
	}

	private void checkBean(String name, Executor executor) {
		String prefix = "offload.executors." + name + ".";
		String beanName = executor.getBean();
		if (executor.getAdaptive().isEnabled()) {
			throw OffloadConfigurationException.invalidProperty(prefix + "adaptive.enabled",
					"executor '" + name + "' runs calls on the application's Executor bean '" + beanName
							+ "', whose size is its owner's, so it cannot follow an adaptive limit.",
					"Remove " + prefix + "adaptive.enabled, or remove " + prefix
							+ "bean to let Offload build a pool that adapts.");
		}
		List<String> poolKeys = setKeys(executor, true);
		if (!poolKeys.isEmpty()) {
			throw OffloadConfigurationException.invalidProperty(prefix + "bean",
					"it is set together with " + String.join(", ", poolKeys)
							+ ", but an executor given by bean keeps its owner's settings.",
					"Remove " + String.join(", ", poolKeys) + " from offload.executors." + name
							+ " and configure the bean itself, or remove " + prefix
							+ "bean to let Offload build the pool.");
		}
		if (!StringUtils.hasText(beanName) || !this.beanFactory.containsBean(beanName)) {
			throw OffloadConfigurationException.invalidProperty(prefix + "bean",
					"it names '" + beanName + "', but there is no bean of that name.",
					"Define an Executor bean named '" + beanName + "', or correct " + prefix + "bean.");
		}
		if (!this.beanFactory.isTypeMatch(beanName, java.util.concurrent.Executor.class)) {
			Class<?> type = this.beanFactory.getType(beanName);
			throw OffloadConfigurationException.invalidProperty(prefix + "bean",
					"it names '" + beanName + "', which is a "
							+ ((type != null) ? type.getName() : "bean of unknown type")
							+ ", not a java.util.concurrent.Executor.",
					"Name an Executor (or TaskExecutor) bean in " + prefix + "bean.");
		}
	}

	private static List<String> setKeys(Executor executor, boolean includeVirtualKeys) {
		List<String> keys = new ArrayList<>();
		addIfSet(keys, "core-size", executor.getCoreSize());
		addIfSet(keys, "max-size", executor.getMaxSize());
		addIfSet(keys, "keep-alive", executor.getKeepAlive());
		if (includeVirtualKeys) {
			addIfSet(keys, "queue-capacity", executor.getQueueCapacity());
			addIfSet(keys, "thread-name-prefix", executor.getThreadNamePrefix());
			addIfSet(keys, "virtual", executor.getVirtual());
			addIfSet(keys, "max-concurrency", executor.getMaxConcurrency());
		}
		return keys;
	}

	static void addIfSet(List<String> keys, String key, @Nullable Object value) {
		if (value != null) {
			keys.add(key);
		}
	}

	private static void checkAtLeast(String key, @Nullable Integer value, int minimum) {
		ExecutorSettingsChecks.checkAtLeast(key, value, minimum);
	}

	private static void checkPositive(String key, @Nullable Duration value, boolean zeroAllowed) {
		ExecutorSettingsChecks.checkPositive(key, value, zeroAllowed);
	}

}
