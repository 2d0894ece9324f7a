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

package dev.offload.reconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.StringUtils;

import dev.offload.OffloadConfigurationException;
import dev.offload.executor.BeanOffloadExecutor;
import dev.offload.executor.CallLimiter;
import dev.offload.executor.ExecutorSettingsChecks;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.executor.VirtualOffloadExecutor;

/**
 * Checks and applies a resize of a running executor, and logs it: the work behind the
 * {@code offload} endpoint's write operation and a configuration refresh. Values are
 * checked with the startup checks ({@link ExecutorSettingsChecks}), against the
 * executor's current settings for those not given, before anything changes, so that a
 * refused change leaves the executor as it was; resizes are serialised (one lock for the
 * whole JVM: they are rare), so that two of them, from the endpoint and a refresh, never
 * interleave their reads and writes. Whichever comes later wins.
 *
 * @since 0.1.0
 */
public final class ExecutorResizer {

	private static final Log logger = LogFactory.getLog(ExecutorResizer.class);

	private static final Object monitor = new Object();

	private ExecutorResizer() {
	}

	/**
	 * Checks and applies a change to an executor, and logs it at INFO as
	 * {@code Offload executor 'name' resized by <source>: key old -> new, ...}.
	 * @param executor the executor to change
	 * @param request the change
	 * @param source who or what changed it, for the log line ({@code alice},
	 * {@code configuration refresh})
	 * @throws OffloadConfigurationException if a value is invalid or cannot be changed on
	 * this executor; nothing has changed then
	 */
	public static void resize(OffloadExecutor executor, ExecutorChange request, String source) {
		String name = executor.getName();
		String prefix = ExecutorSettingsChecks.prefix(name);
		if (executor instanceof BeanOffloadExecutor bean && request.hasSizes()) {
			throw OffloadConfigurationException.invalidProperty(prefix + "bean",
					"executor '" + name + "' runs calls on the application's Executor bean '" + bean.getBeanName()
							+ "', which keeps its owner's settings, so Offload cannot resize it.",
					"Resize the bean '" + bean.getBeanName() + "' itself, or remove " + prefix
							+ "bean to let Offload build a pool it can resize.");
		}
		if (request.isEmpty()) {
			throw OffloadConfigurationException.invalidProperty(prefix + "*",
					"the request changes nothing: it gives none of coreSize, maxSize, queueCapacity, "
							+ "maxConcurrency, timeout, minLimit, maxLimit.",
					"Give at least one of coreSize, maxSize, queueCapacity, maxConcurrency, timeout, minLimit, "
							+ "maxLimit.");
		}
		Duration timeout = parseTimeout(prefix + "timeout", request.timeout());
		ExecutorSettingsChecks.checkAtLeast(prefix + "core-size", request.coreSize(), 0);
		ExecutorSettingsChecks.checkAtLeast(prefix + "max-size", request.maxSize(), 1);
		ExecutorSettingsChecks.checkAtLeast(prefix + "queue-capacity", request.queueCapacity(), 0);
		ExecutorSettingsChecks.checkAtLeast(prefix + "max-concurrency", request.maxConcurrency(), 1);
		ExecutorSettingsChecks.checkAtLeast(prefix + "adaptive.min-limit", request.minLimit(), 1);
		ExecutorSettingsChecks.checkAtLeast(prefix + "adaptive.max-limit", request.maxLimit(), 1);
		synchronized (monitor) {
			List<String> changes = new ArrayList<>();
			CallLimiter limiter = executor.getLimiter();
			if (limiter != null) {
				resizeAdaptive(executor, limiter, request, changes);
			}
			else if (request.minLimit() != null || request.maxLimit() != null) {
				String key = (request.minLimit() != null) ? "adaptive.min-limit" : "adaptive.max-limit";
				throw OffloadConfigurationException.invalidProperty(prefix + key,
						"executor '" + name + "' has fixed sizes (adaptive.enabled is not true), so it has no "
								+ "adaptive limit to bound.",
						"Resize it with coreSize and maxSize (maxConcurrency if virtual), or set " + prefix
								+ "adaptive.enabled=true and restart.");
			}
			else if (executor instanceof PlatformOffloadExecutor platform) {
				resizePlatform(platform, request, changes);
			}
			else if (executor instanceof VirtualOffloadExecutor virtual) {
				resizeVirtual(virtual, request, changes);
			}
			if (timeout != null) {
				changes.add("timeout " + formatTimeout(executor.getTimeoutNanos()) + " -> " + timeout);
				executor.setTimeout(timeout);
			}
			if (logger.isInfoEnabled()) {
				logger.info("Offload executor '" + name + "' resized by " + source + ": " + String.join(", ", changes));
			}
		}
	}

	/**
	 * Resizes an adaptive executor: its bounds and queue, never its sizes, which follow
	 * the limit.
	 */
	private static void resizeAdaptive(OffloadExecutor executor, CallLimiter limiter, ExecutorChange request,
			List<String> changes) {
		String name = executor.getName();
		List<String> sizeKeys = new ArrayList<>();
		if (request.coreSize() != null) {
			sizeKeys.add("core-size");
		}
		if (request.maxSize() != null) {
			sizeKeys.add("max-size");
		}
		if (request.maxConcurrency() != null) {
			sizeKeys.add("max-concurrency");
		}
		ExecutorSettingsChecks.checkNoFixedSizesOnAdaptive(name, sizeKeys);
		int minLimit = (request.minLimit() != null) ? request.minLimit() : limiter.getMinLimit();
		int maxLimit = (request.maxLimit() != null) ? request.maxLimit() : limiter.getMaxLimit();
		ExecutorSettingsChecks.checkLimits(name, null, minLimit, maxLimit);
		Integer queueCapacity = request.queueCapacity();
		if (queueCapacity != null) {
			if (executor instanceof PlatformOffloadExecutor platform) {
				addChange(changes, "queue-capacity", queueCapacity, platform.getQueueCapacity());
				platform.setQueueCapacity(queueCapacity);
			}
			else if (executor instanceof VirtualOffloadExecutor virtual) {
				addChange(changes, "queue-capacity", queueCapacity, virtual.getQueueCapacity());
				virtual.setQueueCapacity(queueCapacity);
			}
		}
		if (request.minLimit() != null || request.maxLimit() != null) {
			addChange(changes, "adaptive.min-limit", request.minLimit(), limiter.getMinLimit());
			addChange(changes, "adaptive.max-limit", request.maxLimit(), limiter.getMaxLimit());
			int before = limiter.getLimit();
			limiter.setBounds(minLimit, maxLimit);
			if (limiter.getLimit() != before) {
				changes.add("limit " + before + " -> " + limiter.getLimit());
			}
		}
	}

	private static void resizePlatform(PlatformOffloadExecutor platform, ExecutorChange request, List<String> changes) {
		String name = platform.getName();
		ExecutorSettingsChecks.checkNoMaxConcurrencyOnPlatform(name, request.maxConcurrency());
		int coreSize = (request.coreSize() != null) ? request.coreSize() : platform.getCoreSize();
		int maxSize = (request.maxSize() != null) ? request.maxSize() : platform.getMaxSize();
		int queueCapacity = (request.queueCapacity() != null) ? request.queueCapacity() : platform.getQueueCapacity();
		ExecutorSettingsChecks.checkMaxSize(name, coreSize, maxSize);
		addChange(changes, "core-size", request.coreSize(), platform.getCoreSize());
		addChange(changes, "max-size", request.maxSize(), platform.getMaxSize());
		addChange(changes, "queue-capacity", request.queueCapacity(), platform.getQueueCapacity());
		platform.resize(coreSize, maxSize, queueCapacity);
	}

	private static void resizeVirtual(VirtualOffloadExecutor virtual, ExecutorChange request, List<String> changes) {
		String name = virtual.getName();
		String prefix = ExecutorSettingsChecks.prefix(name);
		List<String> poolKeys = new ArrayList<>();
		if (request.coreSize() != null) {
			poolKeys.add("core-size");
		}
		if (request.maxSize() != null) {
			poolKeys.add("max-size");
		}
		ExecutorSettingsChecks.checkNoPoolKeysOnVirtual(name, poolKeys);
		if (request.maxConcurrency() == null && request.queueCapacity() == null) {
			return;
		}
		if (!virtual.isLimited()) {
			String key = (request.maxConcurrency() != null) ? "max-concurrency" : "queue-capacity";
			throw OffloadConfigurationException.invalidProperty(prefix + key,
					"executor '" + name + "' was started without a concurrency limit, so it has no limit "
							+ "or queue to change while it runs.",
					"Set " + prefix + "max-concurrency (and queue-capacity) and restart; from then on both can "
							+ "be changed while it runs.");
		}
		int maxConcurrency = (request.maxConcurrency() != null) ? request.maxConcurrency()
				: virtual.getMaxConcurrency();
		int queueCapacity = (request.queueCapacity() != null) ? request.queueCapacity() : virtual.getQueueCapacity();
		addChange(changes, "max-concurrency", request.maxConcurrency(), virtual.getMaxConcurrency());
		addChange(changes, "queue-capacity", request.queueCapacity(), virtual.getQueueCapacity());
		virtual.resize(maxConcurrency, queueCapacity);
	}

	private static void addChange(List<String> changes, String key, @Nullable Integer requested, int current) {
		if (requested != null) {
			changes.add(key + " " + current + " -> " + requested);
		}
	}

	private static @Nullable Duration parseTimeout(String key, @Nullable String timeout) {
		if (!StringUtils.hasText(timeout)) {
			return null;
		}
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(timeout.trim());
		}
		catch (IllegalArgumentException ex) {
			throw OffloadConfigurationException.invalidProperty(key,
					"it is '" + timeout + "', which is not a duration.",
					"Set " + key + " to a positive duration such as 500ms or 5s.");
		}
		ExecutorSettingsChecks.checkPositive(key, duration, false);
		return duration;
	}

	private static String formatTimeout(long nanos) {
		return (nanos > 0) ? Duration.ofNanos(nanos).toString() : "none";
	}

}
