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

package dev.offload.sample.webflux;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;

/**
 * Installs BlockHound once per JVM, before any application context starts, and records
 * every blocking call it detects on a non-blocking thread (a Netty event loop, Reactor's
 * {@code parallel} scheduler), besides throwing its {@link BlockingOperationError} there
 * as usual. A test asserts on the record, which also holds the detections whose error
 * some code swallowed.
 * <p>
 * Two exceptions: Logback's console appender writes to {@code System.out} under a lock
 * (blocking, but the sample's logging is not what is tested here), and the
 * {@code ServiceLoader} reads its service files from the jars when a class initialises
 * (kotlinx-coroutines does at its first {@code awaitSingle}, on the event loop): once per
 * JVM, not per request.
 */
final class BlockHoundSupport {

	private static final List<Detection> detections = new CopyOnWriteArrayList<>();

	static {
		try {
			Class.forName("kotlinx.coroutines.reactive.ReactiveFlowKt");
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
		BlockHound.install(
				(builder) -> builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
					.blockingMethodCallback((method) -> {
						detections.add(new Detection(Thread.currentThread().getName(), method.toString()));
						throw new BlockingOperationError(method);
					}));
	}

	private BlockHoundSupport() {
	}

	/**
	 * Installs BlockHound, if that has not been done yet.
	 */
	static void install() {
		// The static initializer does the work.
	}

	/**
	 * Forgets the detections so far.
	 */
	static void clear() {
		detections.clear();
	}

	/**
	 * Returns the detections since the last {@link #clear()}.
	 * @return the blocking calls made on non-blocking threads
	 */
	static List<Detection> detections() {
		return List.copyOf(detections);
	}

	/**
	 * A blocking call on a non-blocking thread.
	 *
	 * @param thread the thread that made it
	 * @param method the blocking method, as BlockHound names it
	 */
	record Detection(String thread, String method) {
	}

}
