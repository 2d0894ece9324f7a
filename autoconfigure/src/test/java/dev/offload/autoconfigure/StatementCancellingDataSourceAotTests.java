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

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import dev.offload.jdbc.StatementCancellingDataSource;
import dev.offload.jdbc.StatementCancellingDataSourceRegistrar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statement-cancelling wrappers of {@code DataSource} beans in a context processed
 * ahead of time: each wrapper keeps its data source's name, primary status and
 * qualifiers, and the application's data source stays a bean of its own.
 */
@CompileWithForkedClassLoader
class StatementCancellingDataSourceAotTests {

	@Test
	void contextRestoredFromGeneratedCodeInjectsTheWrappersByPrimaryAndQualifier() {
		TestGenerationContext generationContext = new TestGenerationContext();
		AnnotationConfigApplicationContext source = new AnnotationConfigApplicationContext();
		source.register(OffloadAutoConfiguration.class, OffloadJdbcAutoConfiguration.class,
				DataSourcesConfiguration.class);
		new ApplicationContextAotGenerator().processAheadOfTime(source, generationContext);
		generationContext.writeGeneratedContent();
		TestCompiler.forSystem().with(generationContext).compile((compiled) -> {
			GenericApplicationContext context = new GenericApplicationContext();
			@SuppressWarnings("unchecked")
			ApplicationContextInitializer<GenericApplicationContext> initializer = compiled
				.getInstance(ApplicationContextInitializer.class);
			initializer.initialize(context);
			context.refresh();
			try {
				Consumer consumer = context.getBean(Consumer.class);
				assertThat(consumer.primary).isInstanceOf(StatementCancellingDataSource.class)
					.isSameAs(context.getBean("main"));
				assertThat(consumer.reports).isInstanceOf(StatementCancellingDataSource.class)
					.isSameAs(context.getBean("reportsDataSource"));
				assertThat(((DelegatingDataSource) consumer.reports).getTargetDataSource()).isSameAs(context
					.getBean(StatementCancellingDataSourceRegistrar.TARGET_NAME_PREFIX + "reportsDataSource"));
			}
			finally {
				context.close();
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	public static class DataSourcesConfiguration {

		@Bean
		@Primary
		public JdbcDataSource main() {
			return new JdbcDataSource();
		}

		@Bean
		@Qualifier("reports")
		public JdbcDataSource reportsDataSource() {
			return new JdbcDataSource();
		}

		@Bean
		public Consumer consumer(DataSource primary, @Qualifier("reports") DataSource reports) {
			return new Consumer(primary, reports);
		}

	}

	public static class Consumer {

		final DataSource primary;

		final DataSource reports;

		Consumer(DataSource primary, DataSource reports) {
			this.primary = primary;
			this.reports = reports;
		}

	}

}
