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

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.offload.Offloader;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.autoconfigure.OffloadJdbcAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Cloud configuration refresh with statement cancellation on treats the
 * application's {@code DataSource} as it would without Offload: Spring Cloud's
 * {@code ConfigurationPropertiesRebinder} leaves a HikariCP pool alone (it never rebinds
 * one) and rebinds a refreshable data source, instead of rebinding Offload's wrapper and
 * failing. Each case runs with {@code offload.jdbc.cancel-statements} on and off, and
 * must end the same way.
 */
class DataSourceRefreshTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class,
				RefreshAutoConfiguration.class, ConfigurationPropertiesRebinderAutoConfiguration.class,
				OffloadAutoConfiguration.class, OffloadJdbcAutoConfiguration.class));

	@ParameterizedTest(name = "offload.jdbc.cancel-statements={0}")
	@ValueSource(booleans = { true, false })
	void refreshLeavesAHikariPoolAloneAndItKeepsWorking(boolean cancelStatements) {
		this.contextRunner.withUserConfiguration(HikariConfiguration.class)
			.withPropertyValues("offload.jdbc.cancel-statements=" + cancelStatements,
					"spring.datasource.hikari.maximum-pool-size=3")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				assertThat(dataSource instanceof StatementCancellingDataSource).as("statements cancelled")
					.isEqualTo(cancelStatements);
				HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
				assertThat(queryOnAnOffloadedCall(context)).isEqualTo(1);
				refresh(context, "spring.datasource.hikari.maximum-pool-size=5");
				assertThat(pool.getMaximumPoolSize()).as("left alone, as Spring Cloud leaves every HikariCP pool")
					.isEqualTo(3);
				assertThat(pool.isClosed()).isFalse();
				assertThat(context.getBean(DataSource.class)).isSameAs(dataSource);
				assertThat(queryOnAnOffloadedCall(context)).isEqualTo(1);
			});
	}

	@ParameterizedTest(name = "offload.jdbc.cancel-statements={0}")
	@ValueSource(booleans = { true, false })
	void refreshRebindsARefreshableDataSourceInsideTheWrapper(boolean cancelStatements) {
		this.contextRunner.withUserConfiguration(RefreshableConfiguration.class)
			.withPropertyValues("offload.jdbc.cancel-statements=" + cancelStatements, "app.pool.label=before")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				assertThat(dataSource instanceof StatementCancellingDataSource).as("statements cancelled")
					.isEqualTo(cancelStatements);
				RefreshablePool pool = dataSource.unwrap(RefreshablePool.class);
				assertThat(pool.getLabel()).isEqualTo("before");
				refresh(context, "app.pool.label=after");
				assertThat(pool.getLabel()).as("rebound in place, as without Offload").isEqualTo("after");
				assertThat(context.getBean(DataSource.class)).isSameAs(dataSource);
				assertThat(queryOnAnOffloadedCall(context)).isEqualTo(1);
			});
	}

	/**
	 * What Spring Cloud's refresh does once the environment has changed: it publishes an
	 * {@link EnvironmentChangeEvent}, on which {@code ConfigurationPropertiesRebinder}
	 * rebinds every {@code @ConfigurationProperties} bean. A failure to rebind propagates
	 * out of {@code publishEvent}, as it does out of {@code /actuator/refresh}.
	 */
	private static void refresh(AssertableApplicationContext context, String property) {
		ConfigurableApplicationContext source = context.getSourceApplicationContext();
		TestPropertyValues.of(property).applyTo(source);
		source.publishEvent(new EnvironmentChangeEvent(source, Set.of(property.substring(0, property.indexOf('=')))));
	}

	private static Integer queryOnAnOffloadedCall(AssertableApplicationContext context) throws Exception {
		JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
		CompletableFuture<Integer> result = context.getBean(Offloader.class)
			.call(() -> jdbc.queryForObject("SELECT 1", Integer.class));
		return result.get(10, TimeUnit.SECONDS);
	}

	@Configuration(proxyBeanMethods = false)
	static class HikariConfiguration {

		// As Spring Boot's DataSourceConfiguration.Hikari declares it.
		@Bean
		@ConfigurationProperties("spring.datasource.hikari")
		HikariDataSource dataSource() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:h2:mem:offload-refresh-hikari;DB_CLOSE_DELAY=-1");
			return dataSource;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RefreshableConfiguration {

		@Bean
		@ConfigurationProperties("app.pool")
		RefreshablePool dataSource() {
			return new RefreshablePool();
		}

	}

	/**
	 * A data source of the application's own, with a property that a refresh rebinds.
	 */
	static class RefreshablePool extends DelegatingDataSource {

		private String label = "";

		RefreshablePool() {
			super(new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:offload-refresh-own;DB_CLOSE_DELAY=-1"));
		}

		String getLabel() {
			return this.label;
		}

		void setLabel(String label) {
			this.label = label;
		}

	}

}
