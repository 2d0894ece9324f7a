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

package dev.offload.sample;

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
 * The four blocking calls of the fan-out, run on the current thread:
 * {@link OffloadedCalls} runs them on workers, {@code GET /api/sequential} on the request
 * thread.
 */
@Component
public class BlockingCalls {

	/**
	 * The stock level below which a product counts as low in stock.
	 */
	static final int LOW_STOCK = 10;

	private final CatalogRepository catalog;

	private final ReportRepository reports;

	private final UpstreamClient upstream;

	/** The client of the warehouse calls; replaced when its delay changes. */
	private volatile LegacyWarehouseClient warehouse;

	private volatile Duration warehouseDelay;

	private final LegacyWarehouseClient slowWarehouse;

	private final Duration upstreamDelay;

	private final Duration failureAfter;

	private final Duration slowReportDelay;

	BlockingCalls(CatalogRepository catalog, ReportRepository reports, UpstreamClient upstream,
			LegacyWarehouseClient warehouse, SampleProperties properties) {
		this.catalog = catalog;
		this.reports = reports;
		this.upstream = upstream;
		this.warehouse = warehouse;
		this.warehouseDelay = properties.warehouse().delay();
		this.slowWarehouse = warehouse.withDelay(properties.slowReport().delay());
		this.upstreamDelay = properties.upstream().delay();
		this.failureAfter = properties.fanOut().failureAfter();
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
	 * An HTTP call with {@code RestClient} to the slow upstream.
	 * @param executor where the call runs, for the result
	 * @return the result
	 */
	public CallResult upstream(String executor) {
		return CallResult.measure("upstream", executor, () -> this.upstream.fetch(this.upstreamDelay));
	}

	/**
	 * An HTTP call to the slow upstream that fails with 502 Bad Gateway after
	 * {@code sample.fan-out.failure-after} (50ms).
	 * @param executor where the call runs, for the result
	 * @return never
	 */
	public CallResult failingUpstream(String executor) {
		return CallResult.measure("upstream", executor, () -> this.upstream.fetchFailing(this.failureAfter));
	}

	/**
	 * A call of the legacy warehouse client, which the application does not own.
	 * @param executor where the call runs, for the result
	 * @return the result
	 * @throws IOException if the warehouse cannot be reached
	 */
	public CallResult warehouse(String executor) throws IOException {
		return stockSnapshot("warehouse", executor, this.warehouse);
	}

	/**
	 * Makes the warehouse slower or faster from now on: the delay that the warehouse
	 * calls ask its server for (at first {@code sample.warehouse.delay}). The calls
	 * already running keep theirs.
	 * @param delay the new delay
	 * @return the delay until now
	 */
	public synchronized Duration setWarehouseDelay(Duration delay) {
		Duration previous = this.warehouseDelay;
		this.warehouse = this.warehouse.withDelay(delay);
		this.warehouseDelay = delay;
		return previous;
	}

	/**
	 * A call of the legacy warehouse client that takes {@code sample.slow-report.delay}.
	 * @param executor where the call runs, for the result
	 * @return the result
	 * @throws IOException if the warehouse cannot be reached, or the call was aborted
	 */
	public CallResult slowWarehouse(String executor) throws IOException {
		return stockSnapshot("slowWarehouse", executor, this.slowWarehouse);
	}

	/**
	 * The client ignores interrupts, so the request registers its {@code abort()} as a
	 * cancel hook: if the offloaded call times out or is cancelled, the hook aborts the
	 * request, and the worker is free at once instead of at the end of the read. On a
	 * thread that runs no offloaded body (GET /api/sequential), the registration does
	 * nothing.
	 */
	private static CallResult stockSnapshot(String name, String executor, LegacyWarehouseClient client)
			throws IOException {
		StockSnapshotRequest request = client.newStockSnapshotRequest("WH-1");
		try (OffloadCancellation.Registration onCancel = OffloadCancellation.onCancel(request::abort)) {
			return CallResult.measure(name, executor, request::execute);
		}
	}

	/**
	 * A JDBC query that makes the database work {@code sample.slow-report.delay}.
	 * @param executor where the call runs, for the result
	 * @return the result
	 */
	public CallResult slowQuery(String executor) {
		return CallResult.measure("slowQuery", executor,
				() -> "done: " + this.reports.slowReport(this.slowReportDelay));
	}

}
