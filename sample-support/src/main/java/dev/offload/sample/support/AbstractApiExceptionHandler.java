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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.client.RestClientException;

/**
 * The exception handlers both samples have, for a {@code @RestControllerAdvice} of each
 * sample to extend: a call that timed out answers 504 Gateway Timeout, a call that a
 * saturated executor rejected 503 Service Unavailable (Offload rejects with Spring's
 * {@code TaskRejectedException}, a {@link RejectedExecutionException}), a failed
 * dependency 502 Bad Gateway; each with an {@link ErrorBody} and one WARN line, without a
 * stack trace.
 */
public abstract class AbstractApiExceptionHandler {

	/**
	 * Logs under the subclass's name.
	 */
	protected final Log logger = LogFactory.getLog(getClass());

	/**
	 * Answers a timed-out call.
	 * @param ex the timeout
	 * @return 504 with the exception's message
	 */
	@ExceptionHandler(TimeoutException.class)
	public ResponseEntity<ErrorBody> timedOut(TimeoutException ex) {
		return answer(HttpStatus.GATEWAY_TIMEOUT, ex);
	}

	/**
	 * Answers a rejected call.
	 * @param ex the rejection
	 * @return 503 with the exception's message
	 */
	@ExceptionHandler(RejectedExecutionException.class)
	public ResponseEntity<ErrorBody> rejected(RejectedExecutionException ex) {
		return answer(HttpStatus.SERVICE_UNAVAILABLE, ex);
	}

	/**
	 * Answers a failed call to the upstream or the warehouse as a bad gateway.
	 * @param ex the client's failure
	 * @return 502 with the exception's message
	 */
	@ExceptionHandler({ RestClientException.class, IOException.class, UncheckedIOException.class })
	public ResponseEntity<ErrorBody> upstreamFailed(Exception ex) {
		return answer(HttpStatus.BAD_GATEWAY, ex);
	}

	private ResponseEntity<ErrorBody> answer(HttpStatus status, Exception ex) {
		this.logger.warn(status.value() + " " + status.getReasonPhrase() + ": " + ex.getMessage());
		return ResponseEntity.status(status).body(ErrorBody.of(status, ex));
	}

}
