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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of Offload, under {@code offload}.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("offload")
public class OffloadProperties {

	/**
	 * Whether @Offload methods are offloaded. When false, no proxy is created, @Offload
	 * methods run on the caller thread and the Offloader runs tasks on the caller thread.
	 */
	private boolean enabled = true;

	/**
	 * Name of the executor for @Offload methods and Offloader calls that name none.
	 */
	private String defaultExecutor = "default";

	/**
	 * Named executors, each an isolated pool (a bulkhead). The 'default' executor always
	 * exists. Keys per executor: core-size, max-size, queue-capacity, keep-alive,
	 * thread-name-prefix, timeout, await-termination, virtual, max-concurrency, bean,
	 * inherit-deadline.
	 */
	private final Map<String, Executor> executors = new LinkedHashMap<>();

	private final Propagation propagation = new Propagation();

	private final Observation observation = new Observation();

	private final Jdbc jdbc = new Jdbc();

	/**
	 * Creates properties with the documented defaults.
	 */
	public OffloadProperties() {
	}

	/**
	 * {@return whether @Offload methods are offloaded} The value of
	 * {@code offload.enabled}.
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Sets {@code offload.enabled}.
	 * @param enabled whether to offload
	 */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * {@return the name of the executor for calls that name none} The value of
	 * {@code offload.default-executor}.
	 */
	public String getDefaultExecutor() {
		return this.defaultExecutor;
	}

	/**
	 * Sets {@code offload.default-executor}.
	 * @param defaultExecutor the executor name
	 */
	public void setDefaultExecutor(String defaultExecutor) {
		this.defaultExecutor = defaultExecutor;
	}

	/**
	 * {@return the named executors, by name} The value of {@code offload.executors}.
	 */
	public Map<String, Executor> getExecutors() {
		return this.executors;
	}

	/**
	 * {@return which kinds of the caller's context the worker gets} The value of
	 * {@code offload.propagation}.
	 */
	public Propagation getPropagation() {
		return this.propagation;
	}

	/**
	 * {@return whether each call is an observation of its own} The value of
	 * {@code offload.observation}.
	 */
	public Observation getObservation() {
		return this.observation;
	}

	/**
	 * {@return what Offload does to the JDBC statements of offloaded calls} The value of
	 * {@code offload.jdbc}.
	 */
	public Jdbc getJdbc() {
		return this.jdbc;
	}

	/**
	 * Settings of one executor. Every key is optional; an empty entry gets the defaults.
	 */
	public static class Executor {

		/**
		 * Number of threads kept while there is work. Defaults to max-size if that is
		 * set, else to 16.
		 */
		private @Nullable Integer coreSize;

		/**
		 * Largest number of threads; threads beyond core-size are added only once the
		 * queue is full. Defaults to core-size.
		 */
		private @Nullable Integer maxSize;

		/**
		 * Number of calls that may wait for a thread (or, on a virtual executor with
		 * max-concurrency, for a permit) before calls are rejected. 0 means direct
		 * hand-off. Defaults to 1000.
		 */
		private @Nullable Integer queueCapacity;

		/**
		 * How long an idle thread, core threads included, is kept. Defaults to 60s.
		 */
		private @Nullable Duration keepAlive;

		/**
		 * Prefix of the names of the executor's threads. Defaults to 'offload-<name>-'.
		 */
		private @Nullable String threadNamePrefix;

		/**
		 * Default timeout of calls on this executor, counted from the call (queue time
		 * included). No timeout when absent.
		 */
		private @Nullable Duration timeout;

		/**
		 * How long calls in flight may finish when the application shuts down, before
		 * queued calls are rejected and running ones interrupted. Defaults to 10s.
		 */
		private @Nullable Duration awaitTermination;

		/**
		 * Whether to run each call on its own virtual thread (Java 21+). Defaults to the
		 * value of spring.threads.virtual.enabled.
		 */
		private @Nullable Boolean virtual;

		/**
		 * Virtual executors only: most calls that run at once; the rest wait in a queue
		 * of queue-capacity. No limit when absent, except on an executor made virtual by
		 * spring.threads.virtual.enabled, where it defaults to max-size, else core-size.
		 */
		private @Nullable Integer maxConcurrency;

		/**
		 * Name of an Executor bean of the application to run the calls on, instead of a
		 * pool built from these settings. No other pool key may be set with it.
		 */
		private @Nullable String bean;

		/**
		 * Whether calls on this executor inherit the deadline in force where they are
		 * made: at most the time left to the calling body's own timeout, or to the
		 * deadline of the offload scope they are forked in. When false, they keep their
		 * own timeout.
		 */
		private boolean inheritDeadline = true;

		/**
		 * A concurrency limit that follows the downstream instead of fixed sizes.
		 */
		private final Adaptive adaptive = new Adaptive();

		/**
		 * Creates settings with every key unset.
		 */
		public Executor() {
		}

		/**
		 * {@return the adaptive limit's settings} The keys under
		 * {@code offload.executors.&lt;name&gt;.adaptive}.
		 */
		public Adaptive getAdaptive() {
			return this.adaptive;
		}

		/**
		 * {@return the number of threads kept while there is work, or {@code null} for
		 * the default} The value of {@code offload.executors.&lt;name&gt;.core-size}.
		 */
		public @Nullable Integer getCoreSize() {
			return this.coreSize;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.core-size}.
		 * @param coreSize the number of threads, or {@code null} for the default
		 */
		public void setCoreSize(@Nullable Integer coreSize) {
			this.coreSize = coreSize;
		}

		/**
		 * {@return the largest number of threads, or {@code null} for the default} The
		 * value of {@code offload.executors.&lt;name&gt;.max-size}.
		 */
		public @Nullable Integer getMaxSize() {
			return this.maxSize;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.max-size}.
		 * @param maxSize the largest number of threads, or {@code null} for the default
		 */
		public void setMaxSize(@Nullable Integer maxSize) {
			this.maxSize = maxSize;
		}

		/**
		 * {@return how many calls may wait, or {@code null} for the default} The value of
		 * {@code offload.executors.&lt;name&gt;.queue-capacity}.
		 */
		public @Nullable Integer getQueueCapacity() {
			return this.queueCapacity;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.queue-capacity}.
		 * @param queueCapacity how many calls may wait, or {@code null} for the default
		 */
		public void setQueueCapacity(@Nullable Integer queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		/**
		 * {@return how long an idle thread is kept, or {@code null} for the default} The
		 * value of {@code offload.executors.&lt;name&gt;.keep-alive}.
		 */
		public @Nullable Duration getKeepAlive() {
			return this.keepAlive;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.keep-alive}.
		 * @param keepAlive how long an idle thread is kept, or {@code null} for the
		 * default
		 */
		public void setKeepAlive(@Nullable Duration keepAlive) {
			this.keepAlive = keepAlive;
		}

		/**
		 * {@return the prefix of the threads' names, or {@code null} for the default} The
		 * value of {@code offload.executors.&lt;name&gt;.thread-name-prefix}.
		 */
		public @Nullable String getThreadNamePrefix() {
			return this.threadNamePrefix;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.thread-name-prefix}.
		 * @param threadNamePrefix the prefix, or {@code null} for the default
		 */
		public void setThreadNamePrefix(@Nullable String threadNamePrefix) {
			this.threadNamePrefix = threadNamePrefix;
		}

		/**
		 * {@return the default timeout of calls, or {@code null} for none} The value of
		 * {@code offload.executors.&lt;name&gt;.timeout}.
		 */
		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.timeout}.
		 * @param timeout the timeout, or {@code null} for none
		 */
		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		/**
		 * {@return how long calls in flight may finish at shutdown, or {@code null} for
		 * the default} The value of
		 * {@code offload.executors.&lt;name&gt;.await-termination}.
		 */
		public @Nullable Duration getAwaitTermination() {
			return this.awaitTermination;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.await-termination}.
		 * @param awaitTermination the grace period, or {@code null} for the default
		 */
		public void setAwaitTermination(@Nullable Duration awaitTermination) {
			this.awaitTermination = awaitTermination;
		}

		/**
		 * {@return whether calls run on virtual threads, or {@code null} to follow
		 * {@code spring.threads.virtual.enabled}} The value of
		 * {@code offload.executors.&lt;name&gt;.virtual}.
		 */
		public @Nullable Boolean getVirtual() {
			return this.virtual;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.virtual}.
		 * @param virtual whether calls run on virtual threads, or {@code null} to follow
		 * {@code spring.threads.virtual.enabled}
		 */
		public void setVirtual(@Nullable Boolean virtual) {
			this.virtual = virtual;
		}

		/**
		 * {@return the most calls of a virtual executor that run at once, or {@code null}
		 * for the default} The value of
		 * {@code offload.executors.&lt;name&gt;.max-concurrency}.
		 */
		public @Nullable Integer getMaxConcurrency() {
			return this.maxConcurrency;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.max-concurrency}.
		 * @param maxConcurrency the limit, or {@code null} for the default
		 */
		public void setMaxConcurrency(@Nullable Integer maxConcurrency) {
			this.maxConcurrency = maxConcurrency;
		}

		/**
		 * {@return the name of the application's Executor bean to run calls on, or
		 * {@code null} to build a pool} The value of
		 * {@code offload.executors.&lt;name&gt;.bean}.
		 */
		public @Nullable String getBean() {
			return this.bean;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.bean}.
		 * @param bean the bean name, or {@code null} to build a pool
		 */
		public void setBean(@Nullable String bean) {
			this.bean = bean;
		}

		/**
		 * {@return whether calls inherit the deadline in force where they are made} The
		 * value of {@code offload.executors.&lt;name&gt;.inherit-deadline}.
		 */
		public boolean isInheritDeadline() {
			return this.inheritDeadline;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.inherit-deadline}.
		 * @param inheritDeadline whether calls inherit the deadline in force
		 */
		public void setInheritDeadline(boolean inheritDeadline) {
			this.inheritDeadline = inheritDeadline;
		}

	}

	/**
	 * Settings of an executor's adaptive limit: at most the current limit of its bodies
	 * run at once, and the limit follows what the calls measure (docs/adaptive.md).
	 */
	public static class Adaptive {

		/**
		 * Whether the executor's concurrency limit adapts to its downstream instead of
		 * following fixed sizes; then core-size, max-size and max-concurrency may not be
		 * set. Needs com.netflix.concurrency-limits:concurrency-limits-core.
		 */
		private boolean enabled;

		/**
		 * Algorithm that moves the limit: vegas, gradient2 or aimd. Defaults to vegas.
		 */
		private @Nullable String algorithm;

		/**
		 * Limit until the first calls move it. Defaults to 20, within min-limit and
		 * max-limit.
		 */
		private @Nullable Integer initialLimit;

		/**
		 * Lowest the limit may fall to. Defaults to 1.
		 */
		private @Nullable Integer minLimit;

		/**
		 * Highest the limit may rise to: the most threads of a pool, permits of a virtual
		 * executor. Defaults to 200.
		 */
		private @Nullable Integer maxLimit;

		/**
		 * Exceptions that make a call a drop (the downstream is overloaded, so the limit
		 * falls) when the body throws one or one caused by one; fully qualified class
		 * names, replacing the defaults: TimeoutException, RejectedExecutionException,
		 * SQLTransientConnectionException, SQLTimeoutException, SocketTimeoutException,
		 * HttpTimeoutException. A timed-out call is always a drop.
		 */
		private @Nullable List<String> dropExceptions;

		/**
		 * Creates settings with every key unset.
		 */
		public Adaptive() {
		}

		/**
		 * {@return whether the limit adapts} The value of
		 * {@code offload.executors.&lt;name&gt;.adaptive.enabled}.
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.adaptive.enabled}.
		 * @param enabled whether the limit adapts
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/**
		 * {@return the algorithm's name, or {@code null} for the default} The value of
		 * {@code offload.executors.&lt;name&gt;.adaptive.algorithm}.
		 */
		public @Nullable String getAlgorithm() {
			return this.algorithm;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.adaptive.algorithm}.
		 * @param algorithm the algorithm's name
		 */
		public void setAlgorithm(@Nullable String algorithm) {
			this.algorithm = algorithm;
		}

		/**
		 * {@return the initial limit, or {@code null} for the default} The value of
		 * {@code offload.executors.&lt;name&gt;.adaptive.initial-limit}.
		 */
		public @Nullable Integer getInitialLimit() {
			return this.initialLimit;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.adaptive.initial-limit}.
		 * @param initialLimit the initial limit
		 */
		public void setInitialLimit(@Nullable Integer initialLimit) {
			this.initialLimit = initialLimit;
		}

		/**
		 * {@return the lowest limit, or {@code null} for the default} The value of
		 * {@code offload.executors.&lt;name&gt;.adaptive.min-limit}.
		 */
		public @Nullable Integer getMinLimit() {
			return this.minLimit;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.adaptive.min-limit}.
		 * @param minLimit the lowest limit
		 */
		public void setMinLimit(@Nullable Integer minLimit) {
			this.minLimit = minLimit;
		}

		/**
		 * {@return the highest limit, or {@code null} for the default} The value of
		 * {@code offload.executors.&lt;name&gt;.adaptive.max-limit}.
		 */
		public @Nullable Integer getMaxLimit() {
			return this.maxLimit;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.adaptive.max-limit}.
		 * @param maxLimit the highest limit
		 */
		public void setMaxLimit(@Nullable Integer maxLimit) {
			this.maxLimit = maxLimit;
		}

		/**
		 * {@return the exceptions that make a call a drop, or {@code null} for the
		 * defaults} The value of
		 * {@code offload.executors.&lt;name&gt;.adaptive.drop-exceptions}.
		 */
		public @Nullable List<String> getDropExceptions() {
			return this.dropExceptions;
		}

		/**
		 * Sets {@code offload.executors.&lt;name&gt;.adaptive.drop-exceptions}.
		 * @param dropExceptions fully qualified class names
		 */
		public void setDropExceptions(@Nullable List<String> dropExceptions) {
			this.dropExceptions = dropExceptions;
		}

	}

	/**
	 * Which kinds of the caller's context the worker gets.
	 */
	public static class Propagation {

		/**
		 * Whether the worker sees the caller's SLF4J MDC.
		 */
		private boolean mdc = true;

		/**
		 * Whether the worker sees a copy of the caller's Spring Security context (when
		 * Spring Security is on the classpath).
		 */
		private boolean security = true;

		/**
		 * Whether the worker sees the caller's current Micrometer Observation, so tracing
		 * spans started in the body are children of the caller's (when Micrometer is on
		 * the classpath).
		 */
		private boolean observation = true;

		/**
		 * Whether the worker sees the caller's LocaleContextHolder locale.
		 */
		private boolean locale = true;

		/**
		 * Creates settings that propagate every kind of context.
		 */
		public Propagation() {
		}

		/**
		 * {@return whether the worker sees the caller's MDC} The value of
		 * {@code offload.propagation.mdc}.
		 */
		public boolean isMdc() {
			return this.mdc;
		}

		/**
		 * Sets {@code offload.propagation.mdc}.
		 * @param mdc whether to propagate the MDC
		 */
		public void setMdc(boolean mdc) {
			this.mdc = mdc;
		}

		/**
		 * {@return whether the worker sees a copy of the caller's security context} The
		 * value of {@code offload.propagation.security}.
		 */
		public boolean isSecurity() {
			return this.security;
		}

		/**
		 * Sets {@code offload.propagation.security}.
		 * @param security whether to propagate the security context
		 */
		public void setSecurity(boolean security) {
			this.security = security;
		}

		/**
		 * {@return whether the worker sees the caller's current observation} The value of
		 * {@code offload.propagation.observation}.
		 */
		public boolean isObservation() {
			return this.observation;
		}

		/**
		 * Sets {@code offload.propagation.observation}.
		 * @param observation whether to propagate the observation
		 */
		public void setObservation(boolean observation) {
			this.observation = observation;
		}

		/**
		 * {@return whether the worker sees the caller's locale} The value of
		 * {@code offload.propagation.locale}.
		 */
		public boolean isLocale() {
			return this.locale;
		}

		/**
		 * Sets {@code offload.propagation.locale}.
		 * @param locale whether to propagate the locale
		 */
		public void setLocale(boolean locale) {
			this.locale = locale;
		}

	}

	/**
	 * The observation of each offloaded call.
	 */
	public static class Observation {

		/**
		 * Whether each offloaded call is a Micrometer observation, and so a tracing span:
		 * a child of the caller's current observation, the parent of what the body
		 * observes, with an event when a worker takes the call. Needs Micrometer Tracing
		 * and a tracer, and offload.propagation.observation.
		 */
		private boolean enabled = true;

		/**
		 * Creates settings that observe every call.
		 */
		public Observation() {
		}

		/**
		 * {@return whether each call is an observation} The value of
		 * {@code offload.observation.enabled}.
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets {@code offload.observation.enabled}.
		 * @param enabled whether each call is an observation
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * What Offload does to the JDBC statements of offloaded calls.
	 */
	public static class Jdbc {

		/**
		 * Whether a JDBC statement that an offloaded body executes is cancelled when its
		 * call times out, is cancelled or is cut off at shutdown, and gets the time left
		 * until the call's timeout as its query timeout. Wraps every DataSource bean.
		 */
		private boolean cancelStatements = true;

		/**
		 * Creates settings that cancel statements with their call.
		 */
		public Jdbc() {
		}

		/**
		 * {@return whether statements are cancelled with their call} The value of
		 * {@code offload.jdbc.cancel-statements}.
		 */
		public boolean isCancelStatements() {
			return this.cancelStatements;
		}

		/**
		 * Sets {@code offload.jdbc.cancel-statements}.
		 * @param cancelStatements whether to cancel statements with their call
		 */
		public void setCancelStatements(boolean cancelStatements) {
			this.cancelStatements = cancelStatements;
		}

	}

}
