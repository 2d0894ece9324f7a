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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.annotation.RegisterReflectionForBinding;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.offload.OffloadConfigurationException;
import dev.offload.executor.BeanOffloadExecutor;
import dev.offload.executor.CallLimiter;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.executor.VirtualOffloadExecutor;
import dev.offload.reconfigure.ExecutorChange;
import dev.offload.reconfigure.ExecutorResizer;
import dev.offload.reconfigure.ReconfigurationStatus;

/**
 * The {@code offload} endpoint: the state of every offload executor, by name, read at the
 * moment of the request.
 * <p>
 * Every executor reports its {@code type} ({@code platform} or {@code virtual}),
 * {@code active} and {@code queued} calls, how many calls were {@code rejected} and
 * {@code timedOut} since startup, and its default {@code timeout} (ISO-8601, absent when
 * none). A platform pool adds {@code poolSize}, {@code coreSize}, {@code maxSize},
 * {@code queueCapacity} and {@code completed}; a virtual executor adds
 * {@code maxConcurrency} (absent when unlimited) and {@code queueCapacity}. A
 * {@code bean:} executor adds the {@code bean} name; its {@code active} and
 * {@code queued} counts are given only when the bean is a {@code ThreadPoolExecutor} or a
 * {@code ThreadPoolTaskExecutor}, and absent otherwise.
 * <p>
 * A write operation ({@code POST /actuator/offload/{executor}} over HTTP) resizes a live
 * executor; see {@link #resize}. Writes are opt-in: the endpoint's default access is
 * read-only, and {@code management.endpoint.offload.access=unrestricted} allows them.
 *
 * @since 0.1.0
 */
@Endpoint(id = "offload", defaultAccess = Access.READ_ONLY)
@RegisterReflectionForBinding({ OffloadEndpoint.PlatformExecutorDescriptor.class,
		OffloadEndpoint.VirtualExecutorDescriptor.class, OffloadEndpoint.BeanExecutorDescriptor.class })
public class OffloadEndpoint {

	private final OffloadExecutors executors;

	private final @Nullable ReconfigurationStatus reconfigurationStatus;

	/**
	 * Creates an endpoint for the executors of a registry.
	 * @param executors the offload executors
	 */
	public OffloadEndpoint(OffloadExecutors executors) {
		this(executors, null);
	}

	/**
	 * Creates an endpoint for the executors of a registry that also shows what the latest
	 * configuration refresh could not apply.
	 * @param executors the offload executors
	 * @param reconfigurationStatus what the latest configuration refresh could not apply,
	 * or {@code null} without configuration refresh (no Spring Cloud)
	 */
	public OffloadEndpoint(OffloadExecutors executors, @Nullable ReconfigurationStatus reconfigurationStatus) {
		this.executors = executors;
		this.reconfigurationStatus = reconfigurationStatus;
	}

	/**
	 * Describes every offload executor.
	 * @return the executors by name, in the order of their configuration
	 */
	@ReadOperation
	public OffloadDescriptor offload() {
		Map<String, ExecutorDescriptor> descriptors = new LinkedHashMap<>();
		this.executors.getExecutors().forEach((name, executor) -> descriptors.put(name, describe(executor)));
		return new OffloadDescriptor(Collections.unmodifiableMap(descriptors),
				pendingRestart(ReconfigurationStatus.GLOBAL), refreshError(ReconfigurationStatus.GLOBAL));
	}

	/**
	 * Resizes a live executor: the fields given change, the others stay as they are. A
	 * platform pool takes {@code coreSize}, {@code maxSize} and {@code queueCapacity}; a
	 * virtual executor with a concurrency limit takes {@code maxConcurrency} and
	 * {@code queueCapacity}; every executor takes {@code timeout}, the default timeout of
	 * calls made from now on (calls already made keep theirs). Values are checked as at
	 * startup, with the same messages; an executor given by {@code bean:} keeps its
	 * owner's sizes (only its {@code timeout} changes). Every change is logged at INFO
	 * with the principal who made it and the old and new values.
	 * @param executor the executor's name
	 * @param coreSize the new core size of a platform pool, or {@code null} to keep it
	 * @param maxSize the new maximum size of a platform pool, or {@code null} to keep it
	 * @param queueCapacity the new queue capacity, or {@code null} to keep it
	 * @param maxConcurrency the new concurrency limit of a virtual executor, or
	 * {@code null} to keep it
	 * @param timeout the new default timeout (such as {@code 5s} or {@code PT5S}), or
	 * {@code null} to keep it
	 * @param minLimit the new lowest limit of an adaptive executor, or {@code null} to
	 * keep it
	 * @param maxLimit the new highest limit of an adaptive executor, or {@code null} to
	 * keep it
	 * @param securityContext who asks
	 * @return the executor's state after the change, or {@code null} (404) if there is no
	 * executor of that name
	 * @throws InvalidEndpointRequestException (400) if a value is invalid or the executor
	 * cannot be resized
	 */
	// Spring's @Nullable on the parameters: Spring Boot 3.5 reads only that one to tell
	// an optional parameter (Spring Boot 4 reads JSpecify's too).
	@WriteOperation
	@SuppressWarnings("deprecation")
	public @Nullable ExecutorDescriptor resize(@Selector String executor,
			@org.springframework.lang.Nullable Integer coreSize, @org.springframework.lang.Nullable Integer maxSize,
			@org.springframework.lang.Nullable Integer queueCapacity,
			@org.springframework.lang.Nullable Integer maxConcurrency,
			@org.springframework.lang.Nullable String timeout, @org.springframework.lang.Nullable Integer minLimit,
			@org.springframework.lang.Nullable Integer maxLimit, SecurityContext securityContext) {
		try {
			return apply(executor,
					new ExecutorChange(coreSize, maxSize, queueCapacity, maxConcurrency, timeout, minLimit, maxLimit),
					securityContext);
		}
		catch (OffloadConfigurationException ex) {
			throw new InvalidEndpointRequestException(ex.getDescription() + " " + ex.getAction(), ex.getDescription());
		}
	}

	/**
	 * Resizes an executor, for the operation and its web extension.
	 * @throws OffloadConfigurationException if a value is invalid or the executor cannot
	 * be resized
	 */
	@Nullable ExecutorDescriptor apply(String name, ExecutorChange request, SecurityContext securityContext) {
		OffloadExecutor executor = this.executors.find(name);
		if (executor == null) {
			return null;
		}
		Principal principal = securityContext.getPrincipal();
		ExecutorResizer.resize(executor, request,
				(principal != null) ? principal.getName() : "an unauthenticated caller");
		return describe(executor);
	}

	private @Nullable Map<String, String> pendingRestart(String name) {
		if (this.reconfigurationStatus == null) {
			return null;
		}
		Map<String, String> pending = this.reconfigurationStatus.getPendingRestart(name);
		return pending.isEmpty() ? null : pending;
	}

	private @Nullable String refreshError(String name) {
		return (this.reconfigurationStatus != null) ? this.reconfigurationStatus.getRefreshError(name) : null;
	}

	private ExecutorDescriptor describe(OffloadExecutor executor) {
		String name = executor.getName();
		Map<String, String> pendingRestart = pendingRestart(name);
		String refreshError = refreshError(name);
		String type = executor.getType().toString();
		String timeout = (executor.getTimeoutNanos() > 0) ? Duration.ofNanos(executor.getTimeoutNanos()).toString()
				: null;
		CallLimiter limiter = executor.getLimiter();
		Integer limit = (limiter != null) ? limiter.getLimit() : null;
		Integer minLimit = (limiter != null) ? limiter.getMinLimit() : null;
		Integer maxLimit = (limiter != null) ? limiter.getMaxLimit() : null;
		String algorithm = (limiter != null) ? limiter.getAlgorithm() : null;
		if (executor instanceof PlatformOffloadExecutor platform) {
			return new PlatformExecutorDescriptor(type, platform.getActiveCount(), platform.getQueueSize(),
					platform.getPoolSize(), platform.getCoreSize(), platform.getMaxSize(), platform.getQueueCapacity(),
					platform.getCompletedCount(), executor.getRejectedCount(), executor.getTimedOutCount(), timeout,
					limiter != null, limit, minLimit, maxLimit, algorithm, pendingRestart, refreshError);
		}
		if (executor instanceof VirtualOffloadExecutor virtual) {
			Integer maxConcurrency = (limiter == null && virtual.getMaxConcurrency() != Integer.MAX_VALUE)
					? virtual.getMaxConcurrency() : null;
			return new VirtualExecutorDescriptor(type, virtual.getActiveCount(), virtual.getQueueSize(), maxConcurrency,
					virtual.getQueueCapacity(), executor.getRejectedCount(), executor.getTimedOutCount(), timeout,
					limiter != null, limit, minLimit, maxLimit, algorithm, pendingRestart, refreshError);
		}
		String bean = (executor instanceof BeanOffloadExecutor beanExecutor) ? beanExecutor.getBeanName() : null;
		return new BeanExecutorDescriptor(type, bean, known(executor.getActiveCount()), known(executor.getQueueSize()),
				executor.getRejectedCount(), executor.getTimedOutCount(), timeout, pendingRestart, refreshError);
	}

	private static @Nullable Integer known(int count) {
		return (count >= 0) ? count : null;
	}

	/**
	 * The endpoint's response: every offload executor by name.
	 *
	 * @param executors the executors by name
	 * @param pendingRestart keys changed by a configuration refresh that belong to no
	 * running executor (a new executor, a top-level key), which only a restart applies,
	 * with their new values, or {@code null} if none
	 * @param refreshError why the latest configuration refresh changed no executor (its
	 * configuration did not bind), or {@code null}
	 * @since 0.1.0
	 */
	public record OffloadDescriptor(Map<String, ExecutorDescriptor> executors,
			@Nullable Map<String, String> pendingRestart,
			@Nullable String refreshError) implements OperationResponseBody {
	}

	/**
	 * The state of one offload executor.
	 *
	 * @since 0.1.0
	 */
	public sealed interface ExecutorDescriptor
			permits PlatformExecutorDescriptor, VirtualExecutorDescriptor, BeanExecutorDescriptor {

		/**
		 * Returns the kind of threads the calls run on.
		 * @return {@code platform} or {@code virtual}
		 */
		String type();

		/**
		 * Returns how many calls were rejected since startup.
		 * @return the rejected count
		 */
		long rejected();

		/**
		 * Returns how many calls timed out since startup.
		 * @return the timed-out count
		 */
		long timedOut();

		/**
		 * Returns the keys of this executor changed by a configuration refresh that only
		 * a restart applies.
		 * @return the keys and their new values, or {@code null} if none
		 */
		@Nullable Map<String, String> pendingRestart();

		/**
		 * Returns why the latest configuration refresh left this executor's settings as
		 * they were.
		 * @return what is wrong and what to do, or {@code null} if it applied them
		 */
		@Nullable String refreshError();

	}

	/**
	 * The state of a pool of platform threads built by Offload.
	 *
	 * @param type {@code platform}
	 * @param active calls whose body is running
	 * @param queued calls waiting for a thread
	 * @param poolSize threads in the pool now
	 * @param coreSize threads kept while there is work
	 * @param maxSize the most threads
	 * @param queueCapacity how many calls may wait for a thread
	 * @param completed calls whose body has finished running
	 * @param rejected calls rejected since startup
	 * @param timedOut calls that timed out since startup
	 * @param timeout the default timeout of calls (ISO-8601), or {@code null} for none
	 * @param adaptive whether the executor's concurrency follows an adaptive limit
	 * @param limit the current adaptive limit, or {@code null} if not adaptive
	 * @param minLimit the lowest the limit may fall to, or {@code null} if not adaptive
	 * @param maxLimit the highest the limit may rise to, or {@code null} if not adaptive
	 * @param algorithm the algorithm that moves the limit, or {@code null} if not
	 * adaptive
	 * @param pendingRestart keys of this executor changed by a configuration refresh that
	 * only a restart applies, with their new values, or {@code null} if none
	 * @param refreshError why the latest configuration refresh left this executor's
	 * settings as they were, or {@code null} if it applied them
	 * @since 0.1.0
	 */
	public record PlatformExecutorDescriptor(String type, int active, int queued, int poolSize, int coreSize,
			int maxSize, int queueCapacity, long completed, long rejected, long timedOut, @Nullable String timeout,
			boolean adaptive, @Nullable Integer limit, @Nullable Integer minLimit, @Nullable Integer maxLimit,
			@Nullable String algorithm, @Nullable Map<String, String> pendingRestart,
			@Nullable String refreshError) implements ExecutorDescriptor {
	}

	/**
	 * The state of an executor that runs each call on its own virtual thread.
	 *
	 * @param type {@code virtual}
	 * @param active calls whose body is running
	 * @param queued calls waiting for a permit
	 * @param maxConcurrency the most calls that run at once, or {@code null} for no limit
	 * or an adaptive one (then {@code limit})
	 * @param queueCapacity how many calls may wait for a permit
	 * @param rejected calls rejected since startup
	 * @param timedOut calls that timed out since startup
	 * @param timeout the default timeout of calls (ISO-8601), or {@code null} for none
	 * @param adaptive whether the executor's concurrency follows an adaptive limit
	 * @param limit the current adaptive limit, or {@code null} if not adaptive
	 * @param minLimit the lowest the limit may fall to, or {@code null} if not adaptive
	 * @param maxLimit the highest the limit may rise to, or {@code null} if not adaptive
	 * @param algorithm the algorithm that moves the limit, or {@code null} if not
	 * adaptive
	 * @param pendingRestart keys of this executor changed by a configuration refresh that
	 * only a restart applies, with their new values, or {@code null} if none
	 * @param refreshError why the latest configuration refresh left this executor's
	 * settings as they were, or {@code null} if it applied them
	 * @since 0.1.0
	 */
	public record VirtualExecutorDescriptor(String type, int active, int queued, @Nullable Integer maxConcurrency,
			int queueCapacity, long rejected, long timedOut, @Nullable String timeout, boolean adaptive,
			@Nullable Integer limit, @Nullable Integer minLimit, @Nullable Integer maxLimit, @Nullable String algorithm,
			@Nullable Map<String, String> pendingRestart, @Nullable String refreshError) implements ExecutorDescriptor {
	}

	/**
	 * The state of an executor that runs calls on an {@code Executor} bean of the
	 * application.
	 *
	 * @param type {@code platform}
	 * @param bean the name of the bean
	 * @param active calls whose body is running, or {@code null} if the bean cannot tell
	 * @param queued calls waiting for a thread, or {@code null} if the bean cannot tell
	 * @param rejected calls rejected since startup
	 * @param timedOut calls that timed out since startup
	 * @param timeout the default timeout of calls (ISO-8601), or {@code null} for none
	 * @param pendingRestart keys of this executor changed by a configuration refresh that
	 * only a restart applies, with their new values, or {@code null} if none
	 * @param refreshError why the latest configuration refresh left this executor's
	 * settings as they were, or {@code null} if it applied them
	 * @since 0.1.0
	 */
	public record BeanExecutorDescriptor(String type, @Nullable String bean, @Nullable Integer active,
			@Nullable Integer queued, long rejected, long timedOut, @Nullable String timeout,
			@Nullable Map<String, String> pendingRestart, @Nullable String refreshError) implements ExecutorDescriptor {
	}

}
