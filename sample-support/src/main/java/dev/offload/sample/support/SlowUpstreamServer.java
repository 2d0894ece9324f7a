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

package dev.offload.sample.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * A deliberately slow upstream HTTP service that the application calls as if it were
 * someone else's: {@code GET /upstream/slow?delayMs=N} answers after {@code N}
 * milliseconds (default {@code sample.upstream.delay}) with a small JSON document.
 * <p>
 * It runs on the JDK's own {@link HttpServer}, on the loopback interface and a port of
 * its own ({@code sample.upstream.port}, 8081 by default), with a thread per waiting
 * request, rather than on the application's own server: the upstream's capacity does not
 * depend on the application's, as with a real remote service. A Tomcat that called itself
 * could deadlock (when every Tomcat thread is busy waiting for the upstream, as in
 * {@code GET /api/sequential} under load, the upstream requests could not get a thread to
 * be answered on), and on WebFlux the event loop's threads are measured alone.
 * <p>
 * The requests of the legacy warehouse client (those with {@code warehouse=} in their
 * query) play a legacy system of finite capacity: at most {@code warehouseCapacity} of
 * them are served at once (first come, first served); the others wait inside the server,
 * so their answer time grows once more than that many are in flight, as an overloaded
 * system's does. The other requests are served at once, whatever their number.
 */
public class SlowUpstreamServer implements InitializingBean, DisposableBean {

	/**
	 * The path of the slow resource.
	 */
	public static final String PATH = "/upstream/slow";

	private static final long MAX_DELAY_MILLIS = 30_000;

	private static final Log logger = LogFactory.getLog(SlowUpstreamServer.class);

	private final int port;

	private final Duration defaultDelay;

	private final int warehouseCapacity;

	private final Semaphore warehouseSlots;

	private HttpServer server;

	private ExecutorService executor;

	/**
	 * Creates the server; it starts when the bean is initialized.
	 * @param port the port on the loopback interface, or 0 for a free one
	 * @param defaultDelay the delay of a request that names none
	 * @param warehouseCapacity how many warehouse requests are served at once, or 0 (or
	 * less) for no limit
	 */
	public SlowUpstreamServer(int port, Duration defaultDelay, int warehouseCapacity) {
		this.port = port;
		this.defaultDelay = defaultDelay;
		this.warehouseCapacity = Math.max(0, warehouseCapacity);
		this.warehouseSlots = (warehouseCapacity > 0) ? new Semaphore(warehouseCapacity, true) : null;
	}

	@Override
	public void afterPropertiesSet() throws IOException {
		this.executor = Executors.newCachedThreadPool(daemonThreads("upstream-"));
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 1024);
		this.server.createContext(PATH, this::handle);
		this.server.setExecutor(this.executor);
		this.server.start();
		logger.info("Slow upstream listening on " + getBaseUrl() + PATH + " (default delay "
				+ this.defaultDelay.toMillis() + " ms, warehouse capacity "
				+ ((this.warehouseCapacity > 0) ? this.warehouseCapacity : "unlimited") + ")");
	}

	@Override
	public void destroy() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	/**
	 * Returns the URL of the server, such as {@code http://127.0.0.1:8081}.
	 * @return the base URL
	 */
	public String getBaseUrl() {
		InetSocketAddress address = this.server.getAddress();
		return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!"GET".equals(exchange.getRequestMethod())) {
				exchange.sendResponseHeaders(405, -1);
				return;
			}
			String query = exchange.getRequestURI().getRawQuery();
			long delayMillis = delayMillis(query);
			Semaphore slots = isWarehouse(query) ? this.warehouseSlots : null;
			try {
				if (slots != null) {
					// A warehouse request waits for one of its slots, then holds it.
					slots.acquire();
				}
				try {
					TimeUnit.MILLISECONDS.sleep(delayMillis); // the remote service's own
																// latency
				}
				finally {
					if (slots != null) {
						slots.release();
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				exchange.sendResponseHeaders(503, -1);
				return;
			}
			int status = status(exchange.getRequestURI().getRawQuery());
			byte[] body = ("{\"delayMs\":" + delayMillis + ",\"servedBy\":\"" + Thread.currentThread().getName()
					+ "\"}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(status, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	private long delayMillis(String query) {
		if (query != null) {
			for (String parameter : query.split("&")) {
				if (parameter.startsWith("delayMs=")) {
					try {
						return Math.max(0, Math.min(MAX_DELAY_MILLIS, Long.parseLong(parameter.substring(8))));
					}
					catch (NumberFormatException ex) {
						break;
					}
				}
			}
		}
		return this.defaultDelay.toMillis();
	}

	private static boolean isWarehouse(String query) {
		if (query != null) {
			for (String parameter : query.split("&")) {
				if (parameter.startsWith("warehouse=")) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Returns the status to answer with: {@code status=N} (a 5xx, to play a failing
	 * dependency), else 200.
	 */
	private static int status(String query) {
		if (query != null) {
			for (String parameter : query.split("&")) {
				if (parameter.startsWith("status=")) {
					try {
						int status = Integer.parseInt(parameter.substring(7));
						return (status >= 500 && status <= 599) ? status : 200;
					}
					catch (NumberFormatException ex) {
						break;
					}
				}
			}
		}
		return 200;
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
