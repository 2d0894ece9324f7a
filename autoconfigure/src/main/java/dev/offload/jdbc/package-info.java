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

/**
 * JDBC statements cancelled with their offloaded call: the {@code DataSource} wrapper
 * that registers {@code Statement.cancel()} as a cancel hook of the call for the time a
 * statement executes, and gives the statement the time left until the call's timeout as
 * its query timeout.
 */
@NullMarked
package dev.offload.jdbc;

import org.jspecify.annotations.NullMarked;
