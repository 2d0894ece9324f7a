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

package dev.offload.observation;

import io.micrometer.common.KeyValues;

import org.springframework.util.StringUtils;

import dev.offload.executor.OffloadCallSite;
import dev.offload.executor.OffloadOutcome;

/**
 * The default {@link OffloadObservationConvention}: observations named {@value #NAME},
 * with the contextual name {@code offload <simpleClassName>.<method>} (the span's name,
 * e.g. {@code offload invoiceService.load}, as Spring names a {@code @Scheduled} task's
 * span) and the low-cardinality keys {@code executor}, {@code class}, {@code method} and,
 * once the call has ended, {@code outcome}: the tags of {@code offload.calls}, with the
 * same values. No high-cardinality keys.
 * <p>
 * The key values of a call site are built at its first call and kept on the site, so that
 * an observed call builds no tags.
 *
 * @since 0.1.0
 */
public class DefaultOffloadObservationConvention implements OffloadObservationConvention {

	/**
	 * The name of the observation of an offloaded call.
	 */
	public static final String NAME = "offload.call";

	/**
	 * The shared instance.
	 */
	public static final DefaultOffloadObservationConvention INSTANCE = new DefaultOffloadObservationConvention();

	private static final OffloadOutcome[] OUTCOMES = OffloadOutcome.values();

	/**
	 * Creates the convention.
	 */
	public DefaultOffloadObservationConvention() {
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(OffloadObservationContext context) {
		return keys(context.getSite()).contextualName;
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(OffloadObservationContext context) {
		SiteKeys keys = keys(context.getSite());
		OffloadOutcome outcome = context.getOutcome();
		return (outcome != null) ? keys.completed[outcome.ordinal()] : keys.started;
	}

	private SiteKeys keys(OffloadCallSite site) {
		if (site.getObserverState() instanceof SiteKeys keys && keys.owner == this) {
			return keys;
		}
		SiteKeys keys = new SiteKeys(this, site);
		site.setObserverState(keys);
		return keys;
	}

	/**
	 * The names and key values of one call site, kept on the site. Two threads may race
	 * at a site's first call; each builds the same values.
	 */
	private static final class SiteKeys {

		private final DefaultOffloadObservationConvention owner;

		private final String contextualName;

		private final KeyValues started;

		private final KeyValues[] completed;

		SiteKeys(DefaultOffloadObservationConvention owner, OffloadCallSite site) {
			this.owner = owner;
			this.contextualName = "offload " + StringUtils.uncapitalize(simpleName(site.getClassName())) + "."
					+ site.getMethodName();
			this.started = KeyValues.of("executor", site.getExecutor().getName(), "class", site.getClassName(),
					"method", site.getMethodName());
			this.completed = new KeyValues[OUTCOMES.length];
			for (OffloadOutcome outcome : OUTCOMES) {
				this.completed[outcome.ordinal()] = this.started.and("outcome", outcome.tagValue());
			}
		}

		private static String simpleName(String className) {
			int start = Math.max(className.lastIndexOf('.'), className.lastIndexOf('$'));
			return className.substring(start + 1);
		}

	}

}
