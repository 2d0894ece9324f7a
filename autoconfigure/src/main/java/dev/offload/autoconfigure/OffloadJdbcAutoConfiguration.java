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

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Role;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import dev.offload.jdbc.StatementCancellingDataSourcePostProcessor;
import dev.offload.jdbc.StatementCancellingDataSourceRegistrar;

/**
 * Auto-configuration that cancels the JDBC statements of offloaded calls with their call:
 * every {@link DataSource} bean is wrapped so that a statement executed by an offloaded
 * body is cancelled when its call times out, is cancelled or is cut off, and gets the
 * time left until the call's timeout as its query timeout.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnClass({ DataSource.class, DelegatingDataSource.class })
@ConditionalOnBooleanProperty(name = OffloadAutoConfiguration.ENABLED_PROPERTY, matchIfMissing = true)
@ConditionalOnBooleanProperty(name = OffloadJdbcAutoConfiguration.CANCEL_STATEMENTS_PROPERTY, matchIfMissing = true)
@ImportRuntimeHints(OffloadJdbcRuntimeHints.class)
public final class OffloadJdbcAutoConfiguration {

	/**
	 * The property that switches statement cancellation off.
	 */
	public static final String CANCEL_STATEMENTS_PROPERTY = "offload.jdbc.cancel-statements";

	// Only Spring Boot creates auto-configurations.
	OffloadJdbcAutoConfiguration() {
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static StatementCancellingDataSourcePostProcessor offloadStatementCancellingDataSourcePostProcessor() {
		return new StatementCancellingDataSourcePostProcessor();
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static StatementCancellingDataSourceRegistrar offloadStatementCancellingDataSourceRegistrar() {
		return new StatementCancellingDataSourceRegistrar();
	}

}
