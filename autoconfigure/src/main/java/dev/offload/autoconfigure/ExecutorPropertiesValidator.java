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
import org.springframework.util.StringUtils;

import dev.offload.OffloadConfigurationException;
import dev.offload.autoconfigure.OffloadProperties.Executor;

/**
 * Checks the {@code offload.*} executor settings before {@link OffloadExecutorsFactory}
 * builds anything, so that a mistake stops the application with the offending key named
 * and a fix suggested, before any thread is started.
 */
final class ExecutorPropertiesValidator {

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

	private void check(String name, Executor executor) {
		String prefix = "offload.executors." + name + ".";
		checkPositive(prefix + "timeout", executor.getTimeout(), false);
		checkPositive(prefix + "await-termination", executor.getAwaitTermination(), true);
		if (executor.getBean() != null) {
			checkBean(name, executor);
			return;
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
		if (executor.getCoreSize() != null && executor.getMaxSize() != null
				&& executor.getMaxSize() < executor.getCoreSize()) {
			throw OffloadConfigurationException.invalidProperty(prefix + "max-size",
					"it is " + executor.getMaxSize() + ", smaller than core-size (" + executor.getCoreSize() + ").",
					"Set " + prefix + "max-size to at least core-size, or lower " + prefix + "core-size.");
		}
		if (Boolean.TRUE.equals(virtual)) {
			List<String> poolKeys = setKeys(executor, false);
			if (!poolKeys.isEmpty()) {
				throw OffloadConfigurationException.invalidProperty(prefix + poolKeys.get(0),
						"executor '" + name + "' is virtual (one new thread per call), so it has no pool to size, but "
								+ String.join(", ", poolKeys) + " is set.",
						"Bound a virtual executor with " + prefix + "max-concurrency (and queue-capacity), or remove "
								+ prefix + "virtual to use a pool of platform threads.");
			}
		}
		else if (!OffloadExecutorsFactory.isVirtual(executor, this.environment, this.javaVersion)
				&& executor.getMaxConcurrency() != null) {
			throw OffloadConfigurationException.invalidProperty(prefix + "max-concurrency",
					"it only applies to virtual executors, and executor '" + name + "' uses platform threads.",
					"Set " + prefix + "virtual=true (Java 21+), or bound the pool with " + prefix
							+ "max-size and remove max-concurrency.");
		}
	}

	private void checkBean(String name, Executor executor) {
		String prefix = "offload.executors." + name + ".";
		String beanName = executor.getBean();
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
		if (value != null && value < minimum) {
			throw OffloadConfigurationException.invalidProperty(key,
					"it is " + value + ", but it must be " + minimum + " or more.",
					"Set " + key + " to " + minimum + " or more, or remove it to use the default.");
		}
	}

	private static void checkPositive(String key, @Nullable Duration value, boolean zeroAllowed) {
		if (value != null && (value.isNegative() || (!zeroAllowed && value.isZero()))) {
			throw OffloadConfigurationException.invalidProperty(key,
					"it is " + value + ", but it must be " + (zeroAllowed ? "zero or positive." : "positive."),
					"Set " + key + " to a " + (zeroAllowed ? "non-negative" : "positive")
							+ " duration such as 500ms or 5s, or remove it to use the default.");
		}
	}

}
