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

package dev.offload.metrics;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.offload.executor.CallLimiter;
import dev.offload.executor.OffloadCallListener;
import dev.offload.executor.OffloadCallSite;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.OffloadOutcome;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.executor.VirtualOffloadExecutor;

/**
 * Meters for offloaded calls and the offload executors. Bound to a registry, it registers
 * the executor gauges and one {@code offload.wait} timer per executor, then listens to
 * every call:
 * <ul>
 * <li>{@value #CALLS} (timer): from the call until its future completes; tags
 * {@code executor}, {@code class}, {@code method}, {@code outcome}. {@code Offloader}
 * calls are tagged {@code class=dev.offload.Offloader}, {@code method=call} or
 * {@code run};</li>
 * <li>{@value #WAIT} (timer): from the call until a worker takes it; tag
 * {@code executor};</li>
 * <li>Micrometer's executor meters, tagged {@code name=offload.<executor>}: all of those
 * of {@link ExecutorServiceMetrics} for a platform pool; {@code executor.active} (running
 * calls), {@code executor.queued} (calls waiting for a permit) and, with a concurrency
 * limit, {@code executor.queue.remaining} for a virtual executor; none for a
 * {@code bean:} executor, whose owner binds them;</li>
 * <li>for an adaptive executor, {@value #LIMIT}, {@value #LIMIT_MIN} and
 * {@value #LIMIT_MAX} (gauges): its current limit and its bounds, read live, so bounds
 * changed at runtime show; tag {@code executor}.</li>
 * </ul>
 * The timers of a call site are built at its first call and kept on the site, so a call
 * costs two timer recordings and no tag building. Percentile histograms are off unless
 * the registry's configuration turns them on (with Spring Boot:
 * {@code management.metrics.distribution.percentiles-histogram.offload.calls=true}).
 * <p>
 * Calls are recorded in the first registry this binder is bound to; with Spring Boot that
 * is the composite of the application's registries.
 *
 * @since 0.1.0
 */
public class OffloadMetrics implements OffloadCallListener, MeterBinder {

	/**
	 * The name of the timer of offloaded calls.
	 */
	public static final String CALLS = "offload.calls";

	/**
	 * The name of the timer of the time calls wait for a worker.
	 */
	public static final String WAIT = "offload.wait";

	/**
	 * The name of the counter of calls made from a body to the executor it runs on.
	 */
	public static final String NESTED = "offload.nested";

	/**
	 * The gauge of an adaptive executor's current concurrency limit, tagged with its
	 * {@code executor}.
	 */
	public static final String LIMIT = "offload.limit";

	/**
	 * The gauge of an adaptive executor's lowest allowed limit ({@code min-limit}, as
	 * resized), tagged with its {@code executor}.
	 */
	public static final String LIMIT_MIN = "offload.limit.min";

	/**
	 * The gauge of an adaptive executor's highest allowed limit ({@code max-limit}, as
	 * resized), tagged with its {@code executor}.
	 */
	public static final String LIMIT_MAX = "offload.limit.max";

	/**
	 * The prefix of the {@code name} tag of the executor meters.
	 */
	public static final String EXECUTOR_NAME_PREFIX = "offload.";

	private static final Log logger = LogFactory.getLog(OffloadMetrics.class);

	private static final OffloadOutcome[] OUTCOMES = OffloadOutcome.values();

	private final OffloadExecutors executors;

	private final Object monitor = new Object();

	private volatile @Nullable MeterRegistry registry;

	private volatile Map<OffloadExecutor, Timer> waitTimers = Map.of();

	/**
	 * Creates meters for the executors of a registry.
	 * @param executors the offload executors
	 */
	public OffloadMetrics(OffloadExecutors executors) {
		this.executors = executors;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		synchronized (this.monitor) {
			MeterRegistry bound = this.registry;
			if (bound != null) {
				if (bound != registry) {
					logger.warn("Offload meters are already bound to " + bound + "; not binding them to " + registry
							+ " too");
				}
				return;
			}
			Map<OffloadExecutor, Timer> waitTimers = new IdentityHashMap<>();
			for (OffloadExecutor executor : this.executors.getExecutors().values()) {
				bindExecutor(executor, registry);
				waitTimers.put(executor,
						Timer.builder(WAIT)
							.description("Time offloaded calls wait, from the call until a worker takes them")
							.tag("executor", executor.getName())
							.register(registry));
			}
			this.waitTimers = waitTimers;
			this.registry = registry;
			this.executors.setCallListener(this);
		}
	}

	private static void bindExecutor(OffloadExecutor executor, MeterRegistry registry) {
		String name = EXECUTOR_NAME_PREFIX + executor.getName();
		if (executor instanceof PlatformOffloadExecutor platform) {
			new ExecutorServiceMetrics(platform.getThreadPoolExecutor(), name, Tags.empty()).bindTo(registry);
		}
		else if (executor instanceof VirtualOffloadExecutor virtual) {
			bindVirtual(virtual, name, registry);
		}
		CallLimiter limiter = executor.getLimiter();
		if (limiter != null) {
			Gauge.builder(LIMIT, limiter, CallLimiter::getLimit)
				.tag("executor", executor.getName())
				.description("The current concurrency limit of an adaptive executor: at most this many bodies run "
						+ "at once")
				.baseUnit(BaseUnits.TASKS)
				.register(registry);
			Gauge.builder(LIMIT_MIN, limiter, CallLimiter::getMinLimit)
				.tag("executor", executor.getName())
				.description("The lowest concurrency limit an adaptive executor may fall to (min-limit)")
				.baseUnit(BaseUnits.TASKS)
				.register(registry);
			Gauge.builder(LIMIT_MAX, limiter, CallLimiter::getMaxLimit)
				.tag("executor", executor.getName())
				.description("The highest concurrency limit an adaptive executor may rise to (max-limit)")
				.baseUnit(BaseUnits.TASKS)
				.register(registry);
		}
	}

	private static void bindVirtual(VirtualOffloadExecutor executor, String name, MeterRegistry registry) {
		Gauge.builder("executor.active", executor, VirtualOffloadExecutor::getActiveCount)
			.tag("name", name)
			.description("The approximate number of threads that are actively executing tasks")
			.baseUnit(BaseUnits.THREADS)
			.register(registry);
		Gauge.builder("executor.queued", executor, VirtualOffloadExecutor::getQueueSize)
			.tag("name", name)
			.description("The approximate number of tasks that are queued for execution")
			.baseUnit(BaseUnits.TASKS)
			.register(registry);
		if (executor.getMaxConcurrency() != Integer.MAX_VALUE) {
			Gauge
				.builder("executor.queue.remaining", executor,
						(virtual) -> virtual.getQueueCapacity() - virtual.getQueueSize())
				.tag("name", name)
				.description("The number of additional elements that this queue can ideally accept without blocking")
				.baseUnit(BaseUnits.TASKS)
				.register(registry);
		}
	}

	@Override
	public void callStarted(OffloadCallSite site, long waitNanos) {
		meters(site).wait.record(waitNanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void callCompleted(OffloadCallSite site, OffloadOutcome outcome, long durationNanos) {
		meters(site).calls[outcome.ordinal()].record(durationNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * Counts a nested call. The counters are built at a site's first nested call and kept
	 * with its other meters, since a fan-out from a worker can make nested calls often.
	 */
	@Override
	public void nestedCall(OffloadCallSite site, boolean inline) {
		SiteMeters meters = meters(site);
		Counter counter = inline ? meters.nestedInline : meters.nestedQueued;
		if (counter == null) {
			counter = nestedCounter(site, inline);
			if (inline) {
				meters.nestedInline = counter;
			}
			else {
				meters.nestedQueued = counter;
			}
		}
		counter.increment();
	}

	private Counter nestedCounter(OffloadCallSite site, boolean inline) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			throw new IllegalStateException("OffloadMetrics is not bound to a MeterRegistry");
		}
		return Counter.builder(NESTED)
			.description("Calls made from a body running on the same executor")
			.tag("executor", site.getExecutor().getName())
			.tag("class", site.getClassName())
			.tag("method", site.getMethodName())
			.tag("action", inline ? "inline" : "queued")
			.register(registry);
	}

	private SiteMeters meters(OffloadCallSite site) {
		if (site.getListenerState() instanceof SiteMeters meters && meters.owner == this) {
			return meters;
		}
		SiteMeters meters = createMeters(site);
		site.setListenerState(meters);
		return meters;
	}

	/**
	 * Builds the timers of a call site. Two threads may race at a site's first call; the
	 * registry hands both the same timers.
	 */
	private SiteMeters createMeters(OffloadCallSite site) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			throw new IllegalStateException("OffloadMetrics is not bound to a MeterRegistry");
		}
		OffloadExecutor executor = site.getExecutor();
		Tags tags = Tags.of("executor", executor.getName(), "class", site.getClassName(), "method",
				site.getMethodName());
		Timer[] calls = new Timer[OUTCOMES.length];
		for (OffloadOutcome outcome : OUTCOMES) {
			calls[outcome.ordinal()] = Timer.builder(CALLS)
				.description("Offloaded calls, from the call until the caller's future completes")
				.tags(tags)
				.tag("outcome", outcome.tagValue())
				.register(registry);
		}
		Timer wait = this.waitTimers.get(executor);
		if (wait == null) {
			wait = Timer.builder(WAIT)
				.description("Time offloaded calls wait, from the call until a worker takes them")
				.tag("executor", executor.getName())
				.register(registry);
		}
		return new SiteMeters(this, calls, wait);
	}

	/**
	 * The timers of one call site, kept on the site.
	 */
	private static final class SiteMeters {

		private final OffloadMetrics owner;

		private final Timer[] calls;

		private final Timer wait;

		// Built at the site's first nested call; a race builds the same counter twice,
		// which the
		// registry hands back both times.
		private volatile @Nullable Counter nestedInline;

		private volatile @Nullable Counter nestedQueued;

		SiteMeters(OffloadMetrics owner, Timer[] calls, Timer wait) {
			this.owner = owner;
			this.calls = calls;
			this.wait = wait;
		}

	}

}
