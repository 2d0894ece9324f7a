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

package dev.offload.sample.webflux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same blocking call made on the event loop is caught by BlockHound: the request
 * fails with 500, and the log names the {@code BlockingOperationError} and the thread.
 */
@ExtendWith(OutputCaptureExtension.class)
class BlockingOnLoopTests extends SampleHttpTests {

	@Test
	void blockingCallOnTheEventLoopIsCaught(CapturedOutput output) {
		get("/api/blocking-on-loop").expectStatus().isEqualTo(500);
		assertThat(BlockHoundSupport.detections()).isNotEmpty()
			.allSatisfy((detection) -> assertThat(detection.thread()).matches(EVENT_LOOP_THREAD));
		assertThat(output).contains("reactor.blockhound.BlockingOperationError: Blocking call! ")
			.contains("ApiController.blockingOnLoop");
	}

}
