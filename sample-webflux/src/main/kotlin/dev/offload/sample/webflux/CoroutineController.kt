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

package dev.offload.sample.webflux

import dev.offload.ReactiveOffloader
import dev.offload.sample.support.CallResult
import kotlinx.coroutines.reactor.awaitSingle
import org.springframework.web.bind.annotation.GetMapping
import org.springframework.web.bind.annotation.RequestMapping
import org.springframework.web.bind.annotation.RestController

/**
 * The same blocking calls from Kotlin coroutines: Spring WebFlux runs a `suspend` handler
 * as a coroutine on the event loop; the handler suspends while the blocking body runs on
 * an offload worker, and the event-loop thread serves other requests meanwhile.
 */
@RestController
@RequestMapping("/api/kotlin")
class CoroutineController(
    private val calls: CoroutineCalls,
    private val blocking: BlockingCalls,
    reactiveOffloader: ReactiveOffloader,
) {

    private val legacy = reactiveOffloader.executor("legacy")

    /** The orders per status, from an `@Offload` `suspend fun` on the `jdbc` executor. */
    @GetMapping("/orders")
    suspend fun orders(): CallResult = calls.orderSummary()

    /**
     * The legacy warehouse client, on the `legacy` executor, in one line: Kotlin's
     * `asyncio.to_thread`. Cancelling the coroutine (the client went away) interrupts the
     * call.
     */
    @GetMapping("/warehouse")
    suspend fun warehouse(): CallResult = legacy.mono { blocking.warehouse("legacy") }.awaitSingle()

}
