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

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;

import dev.offload.Offloader;
import dev.offload.executor.Latches;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.PlatformOffloadExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where the offload executors stop when the application context closes: after the web
 * server (requests still being drained can offload), and before the beans the calls use
 * are destroyed, so that a call in flight at close finishes with its {@code DataSource}
 * still open.
 */
class OffloadShutdownOrderTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class))
		.withPropertyValues("offload.executors.jdbc.core-size=1", "offload.executors.jdbc.await-termination=5s")
		.withUserConfiguration(ApplicationConfiguration.class);

	@Test
	void callInFlightAtCloseFinishesWithTheDataSourceStillOpen() {
		this.contextRunner.run((context) -> {
			Events events = context.getBean(Events.class);
			DataSource dataSource = context.getBean(DataSource.class);
			ThreadPoolExecutor pool = ((PlatformOffloadExecutor) context.getBean(OffloadExecutors.class).get("jdbc"))
				.getThreadPoolExecutor();
			CountDownLatch started = new CountDownLatch(1);
			CompletableFuture<Integer> inFlight = context.getBean(Offloader.class).executor("jdbc").call(() -> {
				started.countDown();
				// Still running when the offload executors begin to shut down (close()
				// has
				// begun), then it needs the DataSource.
				await().atMost(Duration.ofSeconds(5)).until(pool::isShutdown);
				Integer count = new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM greeting",
						Integer.class);
				events.add("call used the data source");
				return count;
			});
			assertThat(Latches.await(started)).isTrue();
			((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
			assertThat(inFlight.get(5, TimeUnit.SECONDS)).isOne();
			assertThat(events.list()).containsExactly("web server stopped while offload ran",
					"call used the data source", "data source destroyed");
		});
	}

	/**
	 * What happened during close, in order.
	 */
	static class Events {

		private final List<String> events = new CopyOnWriteArrayList<>();

		void add(String event) {
			this.events.add(event);
		}

		List<String> list() {
			return this.events;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationConfiguration {

		@Bean
		Events events() {
			return new Events();
		}

		/**
		 * Depends on the offload executors, so that it is destroyed before them: only the
		 * lifecycle stop, which runs before any bean is destroyed, lets the call finish.
		 */
		@Bean
		@DependsOn("offloadExecutors")
		TrackedDataSource dataSource(Events events) {
			return new TrackedDataSource(events);
		}

		/**
		 * Looks the executors up only when it stops: a bean that depends on them would be
		 * stopped before them whatever their phase.
		 */
		@Bean
		WebServerStandIn webServer(Events events, ObjectProvider<OffloadExecutors> executors) {
			return new WebServerStandIn(events, executors);
		}

	}

	/**
	 * An embedded database that records its destruction and refuses connections after it.
	 */
	static class TrackedDataSource extends DelegatingDataSource implements DisposableBean {

		private final Events events;

		private final EmbeddedDatabase database;

		private volatile boolean destroyed;

		TrackedDataSource(Events events) {
			this.events = events;
			this.database = new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2)
				.generateUniqueName(true)
				.build();
			setTargetDataSource(this.database);
			JdbcTemplate jdbc = new JdbcTemplate(this.database);
			jdbc.execute("CREATE TABLE greeting (text VARCHAR(20))");
			jdbc.update("INSERT INTO greeting VALUES ('hello')");
		}

		@Override
		public Connection getConnection() throws SQLException {
			if (this.destroyed) {
				throw new SQLException("The data source was destroyed");
			}
			return super.getConnection();
		}

		@Override
		public void destroy() {
			this.destroyed = true;
			this.database.shutdown();
			this.events.add("data source destroyed");
		}

	}

	/**
	 * Stops in the phase of Spring Boot's web server, and records whether the offload
	 * executors still take calls then.
	 */
	static class WebServerStandIn implements SmartLifecycle {

		private final Events events;

		private final ObjectProvider<OffloadExecutors> executors;

		private volatile boolean running;

		WebServerStandIn(Events events, ObjectProvider<OffloadExecutors> executors) {
			this.events = events;
			this.executors = executors;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			boolean accepting = !((PlatformOffloadExecutor) this.executors.getObject().get("jdbc"))
				.getThreadPoolExecutor()
				.isShutdown();
			this.events.add("web server stopped while offload " + (accepting ? "ran" : "was shut down"));
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			// WebServerStartStopLifecycle's phase in Spring Boot.
			return SmartLifecycle.DEFAULT_PHASE - 2048;
		}

	}

}
