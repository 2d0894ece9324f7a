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

import java.io.IOException;
import java.time.Duration;

import org.springframework.stereotype.Component;

import dev.offload.OffloadCancellation;
import dev.offload.sample.support.CallResult;
import dev.offload.sample.support.CatalogRepository;
import dev.offload.sample.support.UpstreamClient;
import dev.offload.sample.support.legacy.LegacyWarehouseClient;
import dev.offload.sample.support.legacy.LegacyWarehouseClient.StockSnapshotRequest;

/**
 * The blocking calls, run on the current thread: {@link OffloadedCalls} runs them on
 * workers, {@code GET /api/blocking-on-loop} on the event loop, to show what goes wrong.
 */
@Component
public class BlockingCalls {

	/**
	 * The stock level below which a product counts as low in stock.
	 */
	static final int LOW_STOCK = 10;

	private final CatalogRepository catalog;

	private final UpstreamClient upstream;

	private final LegacyWarehouseClient warehouse;

	private final Duration upstreamDelay;

	private final Duration slowReportDelay;

	BlockingCalls(CatalogRepository catalog, UpstreamClient upstream, LegacyWarehouseClient warehouse,
			SampleProperties properties) {
		this.catalog = catalog;
		this.upstream = upstream;
		this.warehouse = warehouse;
		this.upstreamDelay = properties.upstream().delay();
		this.slowReportDelay = properties.slowReport().delay();
	}

	/**
	 * A JDBC query: the products low in stock.
	 * @param executor where the call runs, for the result
	 * @return the result
	 */
	public CallResult lowStock(String executor) {
		return CallResult.measure("lowStock", executor,
				() -> CatalogRepository.describe(this.catalog.findLowStock(LOW_STOCK)));
	}

	/**
	 * A JDBC aggregate query: orders and units per status.
	 * @param executor where the call runs, for the result
	 * @return the result
	 */
	public CallResult orderSummary(String executor) {
		return CallResult.measure("orderSummary", executor, () -> this.catalog.summarizeOrders().toString());
	}

	/**
	 * An HTTP call with the blocking {@code RestClient} to the slow upstream.
	 * @param executor where the call runs, for the result
	 * @return the result
	 */
	public CallResult upstream(String executor) {
		return CallResult.measure("upstream", executor, () -> this.upstream.fetch(this.upstreamDelay));
	}

	/**
	 * An upstream call that takes {@code sample.slow-report.delay}.
	 * @param executor where the call runs, for the result
	 * @return the result
	 */
	public CallResult slowReport(String executor) {
		return CallResult.measure("slowReport", executor, () -> this.upstream.fetch(this.slowReportDelay));
	}

	/**
	 * A call of the legacy warehouse client, which the application does not own. The
	 * client ignores interrupts, so the request registers its {@code abort()} as a cancel
	 * hook: if the offloaded call is cancelled or times out, the hook aborts the request
	 * and the worker is free at once.
	 * @param executor where the call runs, for the result
	 * @return the result
	 * @throws IOException if the warehouse cannot be reached
	 */
	public CallResult warehouse(String executor) throws IOException {
		StockSnapshotRequest request = this.warehouse.newStockSnapshotRequest("WH-1");
		try (OffloadCancellation.Registration onCancel = OffloadCancellation.onCancel(request::abort)) {
			return CallResult.measure("warehouse", executor, request::execute);
		}
	}

}
