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

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import dev.offload.jdbc.StatementCancellingDataSource;
import dev.offload.jdbc.StatementCancellingDataSourcePostProcessor;
import dev.offload.jdbc.StatementCancellingDataSourceRegistrar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OffloadJdbcAutoConfiguration}.
 */
class OffloadJdbcAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadJdbcAutoConfiguration.class))
		.withUserConfiguration(DataSourceConfiguration.class);

	@Test
	void dataSourceBeanIsWrappedSoThatItsStatementsAreCancelledWithTheirCall() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(StatementCancellingDataSourcePostProcessor.class);
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(dataSource).isInstanceOf(StatementCancellingDataSource.class);
			assertThat(((DelegatingDataSource) dataSource).getTargetDataSource()).isInstanceOf(JdbcDataSource.class);
			assertThat(dataSource.unwrap(JdbcDataSource.class)).isNotNull();
		});
	}

	@Test
	void applicationsDataSourceStaysABeanOfItsOwnBehindTheWrapper() {
		this.contextRunner.run((context) -> {
			String target = StatementCancellingDataSourceRegistrar.TARGET_NAME_PREFIX + "dataSource";
			assertThat(context.getBean(target)).isInstanceOf(JdbcDataSource.class)
				.isSameAs(((DelegatingDataSource) context.getBean("dataSource")).getTargetDataSource());
			assertThat(context.getBeanFactory().getBeanDefinition(target).isAutowireCandidate()).isFalse();
			assertThat(context.getBean(Consumer.class).dataSource).isInstanceOf(StatementCancellingDataSource.class);
		});
	}

	@Test
	void wrapperKeepsThePrimaryStatusAndQualifiersOfItsDataSource() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadJdbcAutoConfiguration.class))
			.withUserConfiguration(TwoDataSourcesConfiguration.class)
			.run((context) -> {
				QualifiedConsumer consumer = context.getBean(QualifiedConsumer.class);
				assertThat(consumer.primary).isSameAs(context.getBean("main"));
				assertThat(consumer.reports).isSameAs(context.getBean("reportsDataSource"));
				assertThat(((StatementCancellingDataSource) consumer.reports).getTargetDataSource()).isSameAs(context
					.getBean(StatementCancellingDataSourceRegistrar.TARGET_NAME_PREFIX + "reportsDataSource"));
			});
	}

	@Test
	void dataSourceRegisteredAsAnObjectIsWrappedWhenInitialized() {
		JdbcDataSource registered = new JdbcDataSource();
		this.contextRunner.withBean("registered", DataSource.class, () -> registered).run((context) -> {
			assertThat(context.getBean("registered")).isInstanceOf(StatementCancellingDataSource.class);
			assertThat(((DelegatingDataSource) context.getBean("registered")).getTargetDataSource())
				.isSameAs(registered);
		});
	}

	@Test
	void dataSourceBeanIsLeftAloneWhenSwitchedOff() {
		this.contextRunner.withPropertyValues("offload.jdbc.cancel-statements=false").run((context) -> {
			assertThat(context).doesNotHaveBean(StatementCancellingDataSourcePostProcessor.class);
			assertThat(context.getBean(DataSource.class)).isInstanceOf(JdbcDataSource.class);
		});
	}

	@Test
	void dataSourceBeanIsLeftAloneWhenOffloadIsDisabled() {
		this.contextRunner.withPropertyValues("offload.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(StatementCancellingDataSourcePostProcessor.class);
			assertThat(context.getBean(DataSource.class)).isInstanceOf(JdbcDataSource.class);
		});
	}

	@Test
	void backsOffWithoutSpringJdbc() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(DelegatingDataSource.class))
			.run((context) -> assertThat(context).doesNotHaveBean(StatementCancellingDataSourcePostProcessor.class));
	}

	@Test
	void dataSourceAlreadyWrappedIsNotWrappedAgain() {
		this.contextRunner.withUserConfiguration(WrappedDataSourceConfiguration.class).run((context) -> {
			StatementCancellingDataSource wrapped = context.getBean("wrapped", StatementCancellingDataSource.class);
			assertThat(wrapped.getTargetDataSource()).isInstanceOf(JdbcDataSource.class);
		});
	}

	@Test
	void wrappedDataSourceIsStillClosedWithTheContext() {
		ClosableDataSource dataSource = new ClosableDataSource();
		this.contextRunner.withBean("closable", ClosableDataSource.class, () -> dataSource).run((context) -> {
			assertThat(context.getBean("closable")).isInstanceOf(StatementCancellingDataSource.class);
			assertThat(dataSource.closed).isFalse();
		});
		assertThat(dataSource.closed).as("the pool, closed with the context").isTrue();
	}

	@Test
	void runtimeHintsCoverTheProxiesAndThePostgresCancel() {
		RuntimeHints hints = new RuntimeHints();
		new OffloadJdbcRuntimeHints().registerHints(hints, getClass().getClassLoader());
		for (Class<?> type : List.of(Connection.class, Statement.class, PreparedStatement.class,
				CallableStatement.class)) {
			assertThat(RuntimeHintsPredicates.proxies().forInterfaces(type)).accepts(hints);
		}
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of(OffloadJdbcRuntimeHints.POSTGRES_CONNECTION))
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(hints);
	}

	@Configuration(proxyBeanMethods = false)
	@Import(Consumer.class)
	static class DataSourceConfiguration {

		@Bean
		JdbcDataSource dataSource() {
			JdbcDataSource dataSource = new JdbcDataSource();
			dataSource.setURL("jdbc:h2:mem:offload-jdbc;DB_CLOSE_DELAY=-1");
			return dataSource;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(QualifiedConsumer.class)
	static class TwoDataSourcesConfiguration {

		@Bean
		@Primary
		JdbcDataSource main() {
			return new JdbcDataSource();
		}

		@Bean
		@Qualifier("reports")
		JdbcDataSource reportsDataSource() {
			return new JdbcDataSource();
		}

	}

	static class QualifiedConsumer {

		final DataSource primary;

		final DataSource reports;

		QualifiedConsumer(DataSource primary, @Qualifier("reports") DataSource reports) {
			this.primary = primary;
			this.reports = reports;
		}

	}

	static class Consumer {

		final DataSource dataSource;

		Consumer(DataSource dataSource) {
			this.dataSource = dataSource;
		}

	}

	static class ClosableDataSource extends DelegatingDataSource implements AutoCloseable {

		volatile boolean closed;

		ClosableDataSource() {
			super(new JdbcDataSource());
		}

		@Override
		public void close() {
			this.closed = true;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WrappedDataSourceConfiguration {

		@Bean
		StatementCancellingDataSource wrapped() {
			JdbcDataSource dataSource = new JdbcDataSource();
			dataSource.setURL("jdbc:h2:mem:offload-jdbc-wrapped;DB_CLOSE_DELAY=-1");
			return new StatementCancellingDataSource(dataSource);
		}

	}

}
