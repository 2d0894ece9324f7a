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

import org.springframework.http.HttpStatus;

/**
 * The JSON body of an error answer: {@code {"status":504,"error":"Gateway
 * Timeout","message":"..."}}.
 *
 * @param status the HTTP status code
 * @param error its reason phrase
 * @param message what went wrong
 */
public record ErrorBody(int status, String error, String message) {

	/**
	 * The body of an error answer.
	 * @param status the status of the answer
	 * @param ex what went wrong: its message is the body's
	 * @return the body
	 */
	public static ErrorBody of(HttpStatus status, Throwable ex) {
		return new ErrorBody(status.value(), status.getReasonPhrase(), ex.getMessage());
	}

}
