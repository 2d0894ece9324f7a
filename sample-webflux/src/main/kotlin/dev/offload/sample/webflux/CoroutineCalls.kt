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

import dev.offload.Offload
import dev.offload.sample.support.CallResult
import org.springframework.stereotype.Service

/**
 * Blocking calls offloaded from Kotlin coroutines: an `@Offload` `suspend fun` runs its
 * body on a worker of its executor while the calling coroutine is suspended, and resumes
 * it with the value (or the exception). Cancelling the coroutine interrupts the body.
 */
@Service
class CoroutineCalls(private val blocking: BlockingCalls) {

    /** The orders per status, on the `jdbc` executor. */
    @Offload("jdbc")
    suspend fun orderSummary(): CallResult = blocking.orderSummary("jdbc")

}
