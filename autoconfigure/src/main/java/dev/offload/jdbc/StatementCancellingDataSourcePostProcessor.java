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

import javax.sql.DataSource;

import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps every {@link DataSource} bean that {@link StatementCancellingDataSourceRegistrar}
 * could not wrap (one registered as an object, without a definition) in a
 * {@link StatementCancellingDataSource}, so that the application's statements are
 * cancelled with their offloaded call without any change to its code:
 * {@code JdbcTemplate}, {@code JdbcClient}, JPA/Hibernate and plain JDBC all end in
 * {@code Statement.execute…}.
 * <p>
 * The bean's type becomes {@code StatementCancellingDataSource}, a Spring
 * {@code DelegatingDataSource}: inject it as a {@code DataSource} (Spring Boot finds the
 * pool inside for its metrics and health); code that needs the pool's own type unwraps it
 * ({@code dataSource.unwrap(HikariDataSource.class)}). The target of a scoped proxy, a
 * data source moved by the registrar and one already wrapped are left alone.
 *
 * @since 0.1.0
 */
public class StatementCancellingDataSourcePostProcessor implements BeanPostProcessor {

	/**
	 * Creates the post-processor.
	 */
	public StatementCancellingDataSourcePostProcessor() {
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource && !(bean instanceof StatementCancellingDataSource)
				&& !ScopedProxyUtils.isScopedTarget(beanName)
				&& !beanName.startsWith(StatementCancellingDataSourceRegistrar.TARGET_NAME_PREFIX)) {
			return new StatementCancellingDataSource(dataSource);
		}
		return bean;
	}

}
