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

package dev.offload.sample.support.legacy;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Stands for a vendor's SDK that the application uses but does not own: a blocking
 * client, built on {@link HttpURLConnection}, with no asynchronous API and no Spring in
 * sight. Its methods cannot be annotated, so the application wraps them with the
 * {@code Offloader}.
 * <p>
 * Like much code of its age, it does not answer interrupts: a blocked socket read goes on
 * until its read timeout, so a timed-out call would keep its worker until then. Like many
 * such SDKs, it lets another thread {@linkplain StockSnapshotRequest#abort() abort} a
 * request in progress, which is what an {@code OffloadCancellation} hook calls.
 */
public class LegacyWarehouseClient {

	private final String baseUrl;

	private final Duration delay;

	/**
	 * Creates a client.
	 * @param baseUrl the URL of the warehouse server
	 * @param delay how long the server takes to answer
	 */
	public LegacyWarehouseClient(String baseUrl, Duration delay) {
		this.baseUrl = baseUrl;
		this.delay = delay;
	}

	/**
	 * Returns the same client against a server that takes longer to answer, for the demo
	 * of a timed-out call.
	 * @param delay how long the server takes to answer
	 * @return a client
	 */
	public LegacyWarehouseClient withDelay(Duration delay) {
		return new LegacyWarehouseClient(this.baseUrl, delay);
	}

	/**
	 * Fetches the stock snapshot of a warehouse, blocking until it has arrived.
	 * @param warehouse the warehouse's code
	 * @return the snapshot as the server sent it
	 * @throws IOException if the server cannot be reached or answers with an error
	 */
	public String fetchStockSnapshot(String warehouse) throws IOException {
		return newStockSnapshotRequest(warehouse).execute();
	}

	/**
	 * Prepares a request for the stock snapshot of a warehouse, to execute on this thread
	 * and abort from another one.
	 * @param warehouse the warehouse's code
	 * @return the request, not yet sent
	 */
	public StockSnapshotRequest newStockSnapshotRequest(String warehouse) {
		return new StockSnapshotRequest(
				URI.create(
						this.baseUrl + "/upstream/slow?delayMs=" + this.delay.toMillis() + "&warehouse=" + warehouse),
				warehouse);
	}

	/**
	 * A request for a stock snapshot.
	 */
	public static final class StockSnapshotRequest {

		private final URI uri;

		private final String warehouse;

		private volatile boolean aborted;

		private volatile HttpURLConnection connection;

		StockSnapshotRequest(URI uri, String warehouse) {
			this.uri = uri;
			this.warehouse = warehouse;
		}

		/**
		 * Sends the request and blocks until the snapshot has arrived.
		 * @return the snapshot as the server sent it
		 * @throws IOException if the server cannot be reached, answers with an error, or
		 * the request was aborted
		 */
		public String execute() throws IOException {
			HttpURLConnection connection = (HttpURLConnection) this.uri.toURL().openConnection();
			connection.setConnectTimeout(2_000);
			connection.setReadTimeout(5_000);
			this.connection = connection;
			try {
				if (this.aborted) {
					throw new IOException("Request for warehouse " + this.warehouse + " aborted");
				}
				int status = connection.getResponseCode();
				if (status != 200) {
					throw new IOException("Warehouse " + this.warehouse + " answered " + status);
				}
				try (InputStream in = connection.getInputStream()) {
					return new String(in.readAllBytes(), StandardCharsets.UTF_8);
				}
			}
			finally {
				connection.disconnect();
			}
		}

		/**
		 * Aborts the request from any thread: a thread blocked in {@link #execute()} gets
		 * an {@link IOException} at once.
		 */
		public void abort() {
			this.aborted = true;
			HttpURLConnection connection = this.connection;
			if (connection != null) {
				connection.disconnect();
			}
		}

	}

}
