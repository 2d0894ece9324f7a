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

package dev.offload.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test that leaves offloaded calls in flight at its end, so that a suite finds
 * the test that leaks work rather than a later test that the leaked call disturbs.
 * Opt-in: put it on a Spring test class (a {@code @SpringBootTest}, a test slice, any
 * test run with the {@code SpringExtension}).
 * <p>
 * The calls checked are those made on the test's application context from the start of
 * each test method (its {@code @BeforeEach} methods included) until its end; calls in
 * flight before, from an earlier test or the application's own background work, are left
 * out. The failure lists each call as {@link OffloadQuiescence#await(Duration)} does. A
 * test that waits for its calls ({@link OffloadQuiescence#await()}, {@code get()} on the
 * futures) passes; one that fires a {@code void} call and ends may have finished before
 * the call has, which is the leak this check reports. The check waits for no call and
 * cancels none; {@link #grace()} gives calls a bounded time to end first.
 * <p>
 * Calls made on the context by another thread while the test runs (a scheduled job) count
 * as the test's: narrow them out with {@link #executors()}.
 *
 * @since 0.1.0
 * @see OffloadLeakCheckExtension
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(OffloadLeakCheckExtension.class)
public @interface CheckOffloadLeaks {

	/**
	 * How long the calls a test made may take to end after the test, as a duration
	 * ({@code "500ms"}, {@code "2s"}); none by default: a call still in flight when the
	 * test ends fails it.
	 * @return the grace period
	 */
	String grace() default "0ms";

	/**
	 * The names of the executors checked; all of them by default.
	 * @return the executors
	 */
	String[] executors() default {};

}
