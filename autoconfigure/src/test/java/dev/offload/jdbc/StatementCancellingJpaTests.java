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

package dev.offload.jdbc;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

import dev.offload.Offload;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.autoconfigure.OffloadJdbcAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * JPA/Hibernate inside an offloaded {@code @Transactional} method: Hibernate's statements
 * go through the wrapped {@code DataSource} like any other, so a timed-out or cancelled
 * query stops on the server and the transaction's connection goes back to the pool.
 */
class StatementCancellingJpaTests {

	private static final Log logger = LogFactory.getLog(StatementCancellingJpaTests.class);

	private static PostgresServer postgres;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadJdbcAutoConfiguration.class))
		.withPropertyValues("offload.executors.jdbc.core-size=1")
		.withUserConfiguration(JpaConfiguration.class);

	@BeforeAll
	static void startServer() {
		postgres = PostgresServer.start();
	}

	@AfterAll
	static void stopServer() throws Exception {
		postgres.close();
	}

	@Test
	void timedOutNativeQueryIsCancelled() {
		this.contextRunner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			// A first call warms Hibernate up, so that the query starts before the 300
			// ms.
			assertThat(reports.quick().get(10, TimeUnit.SECONDS)).isNotNull();
			String tag = "offload-jpa-" + UUID.randomUUID();
			long start = System.nanoTime();
			CompletableFuture<Object> future = reports.slowReportWithTimeout(tag);
			assertThat(postgres.awaitActive(tag, 1000)).isNotNegative();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(TimeoutException.class);
			long timedOut = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			long gone = postgres.awaitGone(tag, 1000);
			assertThat(gone).as("time until the query is gone").isBetween(0L, 1000L);
			assertPoolIdle(context.getBean(DataSource.class));
			logger.info("[timeout, JPA] TimeoutException after " + timedOut + " ms; query gone from pg_stat_activity "
					+ gone + " ms later");
		});
	}

	@Test
	void cancelledNativeQueryIsCancelled() {
		this.contextRunner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			String tag = "offload-jpa-" + UUID.randomUUID();
			CompletableFuture<Object> future = reports.slowReport(tag);
			assertThat(postgres.awaitActive(tag, 1000)).isNotNegative();
			future.cancel(true);
			assertThat(postgres.awaitGone(tag, 1000)).as("time until the query is gone").isBetween(0L, 1000L);
			assertPoolIdle(context.getBean(DataSource.class));
		});
	}

	private static void assertPoolIdle(DataSource dataSource) throws Exception {
		HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
		assertThat(PostgresServer.await(() -> pool.getHikariPoolMXBean().getActiveConnections() == 0, 1000))
			.as("time until the pool has no active connection")
			.isNotNegative();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class JpaConfiguration {

		@Bean
		HikariDataSource dataSource() {
			return postgres.pool(2);
		}

		@Bean
		LocalContainerEntityManagerFactoryBean entityManagerFactory(DataSource dataSource) {
			LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
			factory.setDataSource(dataSource);
			factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
			factory.setPackagesToScan(StatementCancellingJpaTests.class.getPackageName() + ".noentities");
			return factory;
		}

		@Bean
		JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
			return new JpaTransactionManager(entityManagerFactory);
		}

		@Bean
		Reports reports(EntityManagerFactory entityManagerFactory) {
			return new Reports(SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory));
		}

	}

	static class Reports {

		private final EntityManager entityManager;

		Reports(EntityManager entityManager) {
			this.entityManager = entityManager;
		}

		@Offload(value = "jdbc", timeout = "300ms")
		@Transactional(readOnly = true)
		public CompletableFuture<Object> slowReportWithTimeout(String tag) {
			return CompletableFuture.completedFuture(query(tag));
		}

		@Offload("jdbc")
		@Transactional(readOnly = true)
		public CompletableFuture<Object> slowReport(String tag) {
			return CompletableFuture.completedFuture(query(tag));
		}

		@Offload("jdbc")
		@Transactional(readOnly = true)
		public CompletableFuture<Object> quick() {
			return CompletableFuture
				.completedFuture(this.entityManager.createNativeQuery("SELECT 1").getSingleResult());
		}

		private Object query(String tag) {
			return this.entityManager.createNativeQuery("SELECT 1 FROM pg_sleep(5) /* " + tag + " */")
				.getSingleResult();
		}

	}

}
