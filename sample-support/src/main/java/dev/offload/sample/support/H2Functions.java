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

/**
 * SQL functions for the embedded H2 database, declared with {@code CREATE ALIAS} in
 * {@code db/h2/schema.sql}, so that the queries run unchanged on H2 and on PostgreSQL.
 */
public final class H2Functions {

	private H2Functions() {
	}

	/**
	 * PostgreSQL's {@code pg_sleep(seconds)}: the database session waits, as in a slow
	 * query.
	 * @param seconds how long
	 * @return 0
	 * @throws InterruptedException if the thread running the query is interrupted
	 */
	public static int pgSleep(double seconds) throws InterruptedException {
		Thread.sleep(Math.round(seconds * 1000));
		return 0;
	}

}
