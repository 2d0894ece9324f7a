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

package dev.offload.executor;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Decides where a call made from a body running on the same executor goes. Queued behind
 * calls that may be waiting for it, it could never start: the pool-starvation deadlock of
 * every thread-pool bulkhead. So when no thread (or permit) would take it now, it runs on
 * the calling worker, which would otherwise only wait; when one would, it is queued as
 * usual, so that a fan-out from a worker still runs in parallel.
 *
 * @see OffloadExecutor#hasIdleCapacity()
 */
final class NestedCalls {

	private static final Log logger = LogFactory.getLog(NestedCalls.class);

	private final OffloadExecutor executor;

	private final LongAdder inline = new LongAdder();

	// Keyed by the method, not the call site: Offloader.timeout(..) makes new sites
	// for the same method, which would grow the set and repeat the warning.
	private final Set<String> warnedMethods = ConcurrentHashMap.newKeySet();

	NestedCalls(OffloadExecutor executor) {
		this.executor = executor;
	}

	long getInlineCount() {
		return this.inline.sum();
	}

	/**
	 * Returns whether a call made from the body of {@code outer}, which runs on this
	 * executor, must run inline on the calling worker.
	 */
	boolean runsInline(OffloadCallSite site, OffloadCall<?> outer) {
		boolean inline = !this.executor.hasIdleCapacity();
		if (inline) {
			this.inline.increment();
		}
		if (this.warnedMethods.add(site.getDescription())) {
			logger.warn(site.getDescription() + " is offloaded to executor '" + this.executor.getName()
					+ "' from a body running on that executor (" + outer.getSite().getDescription()
					+ "). Should the body wait for it while every thread is busy, it could never start; Offload then "
					+ "runs it on the calling worker instead. Prefer another executor for nested calls. "
					+ "(Logged once per method.)");
		}
		this.executor.getAccounting().nestedCall(site, inline);
		return inline;
	}

}
