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
import java.util.Objects;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.system.JavaVersion;
import org.springframework.core.env.ConfigurableEnvironment;

import dev.offload.OffloadConfigurationException;
import dev.offload.autoconfigure.OffloadProperties.Executor;
import dev.offload.executor.BeanOffloadExecutor;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.VirtualOffloadExecutor;
import dev.offload.reconfigure.ExecutorChange;
import dev.offload.reconfigure.ExecutorResizer;
import dev.offload.reconfigure.ReconfigurationStatus;

/**
 * Applies the {@code offload.*} configuration, bound again from the environment, to the
 * running executors: what a Spring Cloud configuration refresh triggers. For each
 * executor, the keys that can change while it runs ({@code core-size}, {@code max-size},
 * {@code queue-capacity}, {@code max-concurrency}, {@code timeout},
 * {@code adaptive.min-limit}, {@code adaptive.max-limit}) go through the Actuator's
 * checked resize ({@link ExecutorResizer}), only those whose configured value changed
 * since the last one applied, so that a change made through the Actuator stays until the
 * configuration of the same key changes. The other keys are kept as pending until a
 * restart ({@link ReconfigurationStatus}); a configuration that startup would refuse
 * changes nothing on its executor and is reported. A refresh never throws.
 * <p>
 * One refresh runs at a time; a resize through the Actuator may run meanwhile, each
 * resize being atomic (the later one wins).
 */
final class OffloadConfigurationRefresher {

	static final String SOURCE = "configuration refresh";

	private static final Log logger = LogFactory.getLog(OffloadConfigurationRefresher.class);

	private static final String PREFIX = "offload.";

	private final OffloadExecutors executors;

	private final ConfigurableEnvironment environment;

	private final ExecutorPropertiesValidator validator;

	private final JavaVersion javaVersion;

	private final ReconfigurationStatus status;

	/** The configuration the executors were built with. */
	private final OffloadProperties startup;

	/** Per executor, the live settings last applied from the configuration. */
	private final Map<String, LiveSettings> applied = new LinkedHashMap<>();

	OffloadConfigurationRefresher(OffloadExecutors executors, ConfigurableEnvironment environment,
			BeanFactory beanFactory, JavaVersion javaVersion, ReconfigurationStatus status) {
		this.executors = executors;
		this.environment = environment;
		this.validator = new ExecutorPropertiesValidator(beanFactory, environment, javaVersion);
		this.javaVersion = javaVersion;
		this.status = status;
		this.startup = bind();
		Map<String, Executor> configured = executorsOf(this.startup);
		executors.getExecutors().forEach((name, executor) -> {
			Executor settings = configured.get(name);
			if (settings != null) {
				this.applied.put(name, LiveSettings.of(executor, settings));
			}
		});
	}

	/**
	 * Binds the {@code offload.*} configuration again and applies what changed.
	 */
	synchronized void refresh() {
		try {
			OffloadProperties next;
			try {
				next = bind();
			}
			catch (BindException ex) {
				reportBindFailure(ex);
				return;
			}
			this.status.setRefreshError(ReconfigurationStatus.GLOBAL, null);
			Map<String, Executor> configured = executorsOf(next);
			refreshGlobalKeys(next, configured);
			this.executors.getExecutors().forEach((name, executor) -> refresh(name, executor, configured.get(name)));
		}
		catch (RuntimeException ex) {
			// Nothing of a refresh may stop the application: report it as Offload's.
			String message = "Offload could not apply the refreshed configuration: " + ex;
			this.status.setRefreshError(ReconfigurationStatus.GLOBAL, message);
			logger.warn(message, ex);
		}
	}

	private void refresh(String name, OffloadExecutor executor, @Nullable Executor next) {
		String prefix = PREFIX + "executors." + name;
		if (next == null) {
			updatePending(name, Map.of(prefix, "(removed: a restart stops this executor)"));
			this.status.setRefreshError(name, null);
			return;
		}
		Executor atStartup = executorsOf(this.startup).get(name);
		Map<String, String> pending = pendingKeys(prefix + ".", (atStartup != null) ? atStartup : new Executor(), next);
		LiveSettings live = sameKind(executor, next) ? LiveSettings.of(executor, next) : LiveSettings.timeoutOnly(next);
		LiveSettings last = this.applied.get(name);
		if (last != null && last.timeout() != null && live.timeout() == null) {
			// A running executor's timeout can be replaced, not taken away.
			pending.put(prefix + ".timeout", "(unset)");
		}
		updatePending(name, pending);
		try {
			this.validator.check(name, next);
			ExecutorChange change = (last != null) ? last.changeTo(live) : live.asChange();
			if (!change.isEmpty()) {
				ExecutorResizer.resize(executor, change, SOURCE);
			}
			this.applied.put(name, (last != null) ? last.with(live) : live);
			this.status.setRefreshError(name, null);
		}
		catch (OffloadConfigurationException ex) {
			String message = ex.getMessage() + " " + ex.getAction();
			this.status.setRefreshError(name, message);
			logger.warn("Offload executor '" + name + "' keeps its settings: the refreshed configuration is refused. "
					+ message);
		}
	}

	/**
	 * Whether the new configuration still describes the kind of executor that runs
	 * (virtual or platform threads, adaptive or fixed, the application's bean): if not,
	 * its sizes are the new kind's, which only a restart builds.
	 */
	private boolean sameKind(OffloadExecutor executor, Executor next) {
		if (executor instanceof BeanOffloadExecutor || next.getBean() != null) {
			return executor instanceof BeanOffloadExecutor && next.getBean() != null;
		}
		boolean virtual = OffloadExecutorsFactory.isVirtual(next, this.environment, this.javaVersion);
		return virtual == (executor instanceof VirtualOffloadExecutor)
				&& next.getAdaptive().isEnabled() == (executor.getLimiter() != null);
	}

	private void refreshGlobalKeys(OffloadProperties next, Map<String, Executor> configured) {
		Map<String, String> pending = new LinkedHashMap<>();
		addIfChanged(pending, PREFIX + "enabled", this.startup.isEnabled(), next.isEnabled());
		addIfChanged(pending, PREFIX + "default-executor", this.startup.getDefaultExecutor(),
				next.getDefaultExecutor());
		addIfChanged(pending, PREFIX + "propagation.mdc", this.startup.getPropagation().isMdc(),
				next.getPropagation().isMdc());
		addIfChanged(pending, PREFIX + "propagation.security", this.startup.getPropagation().isSecurity(),
				next.getPropagation().isSecurity());
		addIfChanged(pending, PREFIX + "propagation.observation", this.startup.getPropagation().isObservation(),
				next.getPropagation().isObservation());
		addIfChanged(pending, PREFIX + "propagation.locale", this.startup.getPropagation().isLocale(),
				next.getPropagation().isLocale());
		addIfChanged(pending, PREFIX + "observation.enabled", this.startup.getObservation().isEnabled(),
				next.getObservation().isEnabled());
		addIfChanged(pending, PREFIX + "jdbc.cancel-statements", this.startup.getJdbc().isCancelStatements(),
				next.getJdbc().isCancelStatements());
		configured.keySet()
			.stream()
			.filter((name) -> this.executors.find(name) == null)
			.forEach((name) -> pending.put(PREFIX + "executors." + name, "(new: a restart starts this executor)"));
		updatePending(ReconfigurationStatus.GLOBAL, pending);
	}

	/**
	 * The keys that only a restart applies whose configured value differs from the one
	 * the executor was built with.
	 */
	private static Map<String, String> pendingKeys(String prefix, Executor atStartup, Executor next) {
		Map<String, String> pending = new LinkedHashMap<>();
		addIfChanged(pending, prefix + "virtual", atStartup.getVirtual(), next.getVirtual());
		addIfChanged(pending, prefix + "bean", atStartup.getBean(), next.getBean());
		addIfChanged(pending, prefix + "thread-name-prefix", atStartup.getThreadNamePrefix(),
				next.getThreadNamePrefix());
		addIfChanged(pending, prefix + "keep-alive", atStartup.getKeepAlive(), next.getKeepAlive());
		addIfChanged(pending, prefix + "await-termination", atStartup.getAwaitTermination(),
				next.getAwaitTermination());
		addIfChanged(pending, prefix + "inherit-deadline", atStartup.isInheritDeadline(), next.isInheritDeadline());
		addIfChanged(pending, prefix + "adaptive.enabled", atStartup.getAdaptive().isEnabled(),
				next.getAdaptive().isEnabled());
		addIfChanged(pending, prefix + "adaptive.algorithm", atStartup.getAdaptive().getAlgorithm(),
				next.getAdaptive().getAlgorithm());
		addIfChanged(pending, prefix + "adaptive.initial-limit", atStartup.getAdaptive().getInitialLimit(),
				next.getAdaptive().getInitialLimit());
		addIfChanged(pending, prefix + "adaptive.drop-exceptions", atStartup.getAdaptive().getDropExceptions(),
				next.getAdaptive().getDropExceptions());
		return pending;
	}

	private static void addIfChanged(Map<String, String> pending, String key, @Nullable Object atStartup,
			@Nullable Object next) {
		if (!Objects.equals(atStartup, next)) {
			pending.put(key, (next != null) ? String.valueOf(next) : "(unset)");
		}
	}

	/**
	 * Records the pending keys of an executor (or {@link ReconfigurationStatus#GLOBAL})
	 * and warns, once, of each key newly pending or pending with a new value.
	 */
	private void updatePending(String name, Map<String, String> pending) {
		Map<String, String> before = this.status.getPendingRestart(name);
		List<String> news = new ArrayList<>();
		pending.forEach((key, value) -> {
			if (!value.equals(before.get(key))) {
				news.add(key + "=" + value);
			}
		});
		this.status.setPendingRestart(name, pending);
		if (!news.isEmpty()) {
			logger.warn(((name.isEmpty()) ? "Offload" : "Offload executor '" + name + "'") + ": "
					+ String.join(", ", news) + " changed by " + SOURCE
					+ ", but cannot change while the application runs: a restart applies "
					+ ((news.size() > 1) ? "them." : "it."));
		}
	}

	private void reportBindFailure(BindException ex) {
		String key = (ex.getProperty() != null) ? ex.getProperty().getName().toString() : ex.getName().toString();
		Throwable cause = ex;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		String message = "Invalid offload setting '" + key + "': " + cause.getMessage()
				+ " Correct it; until then Offload's executors keep their settings.";
		String executor = executorOf(key);
		this.status.setRefreshError((executor != null) ? executor : ReconfigurationStatus.GLOBAL, message);
		logger
			.warn("Offload keeps the settings of its executors: the refreshed configuration does not bind. " + message);
	}

	private @Nullable String executorOf(String key) {
		String executors = PREFIX + "executors.";
		if (!key.startsWith(executors)) {
			return null;
		}
		String rest = key.substring(executors.length());
		int dot = rest.indexOf('.');
		String name = (dot >= 0) ? rest.substring(0, dot) : rest;
		return (this.executors.find(name) != null) ? name : null;
	}

	private OffloadProperties bind() {
		return Binder.get(this.environment).bindOrCreate("offload", OffloadProperties.class);
	}

	/**
	 * The configured executors, the default one included, as at startup.
	 */
	private static Map<String, Executor> executorsOf(OffloadProperties properties) {
		Map<String, Executor> executors = new LinkedHashMap<>();
		executors.put(OffloadExecutorsFactory.DEFAULT_EXECUTOR_NAME, new Executor());
		executors.putAll(properties.getExecutors());
		return executors;
	}

	/**
	 * The settings of an executor that can change while it runs, as the configuration
	 * gives them for the kind of executor that runs ({@code null}: not applicable).
	 */
	private record LiveSettings(@Nullable Integer coreSize, @Nullable Integer maxSize, @Nullable Integer queueCapacity,
			@Nullable Integer maxConcurrency, @Nullable Duration timeout, @Nullable Integer minLimit,
			@Nullable Integer maxLimit) {

		static LiveSettings of(OffloadExecutor executor, Executor settings) {
			Duration timeout = settings.getTimeout();
			if (executor instanceof BeanOffloadExecutor) {
				return timeoutOnly(settings);
			}
			Integer queueCapacity = OffloadExecutorsFactory.queueCapacity(settings);
			if (executor.getLimiter() != null) {
				return new LiveSettings(null, null, queueCapacity, null, timeout,
						OffloadExecutorsFactory.minLimit(settings.getAdaptive()),
						OffloadExecutorsFactory.maxLimit(settings.getAdaptive()));
			}
			if (executor instanceof VirtualOffloadExecutor) {
				Integer maxConcurrency = (settings.getVirtual() != null) ? settings.getMaxConcurrency()
						: OffloadExecutorsFactory.implicitMaxConcurrency(settings);
				// Without a limit, a virtual executor has no queue either.
				return new LiveSettings(null, null, (maxConcurrency != null) ? queueCapacity : null, maxConcurrency,
						timeout, null, null);
			}
			return new LiveSettings(OffloadExecutorsFactory.coreSize(settings),
					OffloadExecutorsFactory.maxSize(settings), queueCapacity, null, timeout, null, null);
		}

		static LiveSettings timeoutOnly(Executor settings) {
			return new LiveSettings(null, null, null, null, settings.getTimeout(), null, null);
		}

		/**
		 * The change from these settings to the next ones: the values that differ.
		 */
		ExecutorChange changeTo(LiveSettings next) {
			return new ExecutorChange(changed(next, LiveSettings::coreSize), changed(next, LiveSettings::maxSize),
					changed(next, LiveSettings::queueCapacity), changed(next, LiveSettings::maxConcurrency),
					timeoutChange(this.timeout, next.timeout), changed(next, LiveSettings::minLimit),
					changed(next, LiveSettings::maxLimit));
		}

		ExecutorChange asChange() {
			return new LiveSettings(null, null, null, null, null, null, null).changeTo(this);
		}

		/**
		 * These settings with the values that the next ones give (a value not applicable
		 * to the next ones is kept).
		 */
		LiveSettings with(LiveSettings next) {
			return new LiveSettings(or(next.coreSize, this.coreSize), or(next.maxSize, this.maxSize),
					or(next.queueCapacity, this.queueCapacity), or(next.maxConcurrency, this.maxConcurrency),
					or(next.timeout, this.timeout), or(next.minLimit, this.minLimit), or(next.maxLimit, this.maxLimit));
		}

		private @Nullable Integer changed(LiveSettings next, Function<LiveSettings, @Nullable Integer> value) {
			Integer to = value.apply(next);
			return (to != null && !to.equals(value.apply(this))) ? to : null;
		}

		private static @Nullable String timeoutChange(@Nullable Duration from, @Nullable Duration to) {
			// A timeout removed from the configuration waits for a restart (see refresh).
			return (to != null && !to.equals(from)) ? to.toString() : null;
		}

		private static <T> @Nullable T or(@Nullable T value, @Nullable T otherwise) {
			return (value != null) ? value : otherwise;
		}

	}

}
