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

package dev.offload.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.RestClientException;

import dev.offload.sample.support.AbstractApiExceptionHandler;
import dev.offload.sample.support.ErrorBody;

/**
 * Turns the failures of offloaded calls into clear answers, without a stack trace: a call
 * that timed out into 504 Gateway Timeout, a call that a saturated executor rejected into
 * 503 Service Unavailable, a failed dependency into 502 Bad Gateway, on the offloaded and
 * the sequential path alike (the handlers of {@link AbstractApiExceptionHandler}); here
 * also when a controller's future wraps the failure.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends AbstractApiExceptionHandler {

	/**
	 * Unwraps the exception of a future that a controller waited for or composed, and
	 * answers its cause as above.
	 * @param ex the wrapper
	 * @return the answer for the cause
	 * @throws Throwable the cause, when it is neither a timeout nor a rejection
	 */
	@ExceptionHandler({ CompletionException.class, ExecutionException.class })
	public ResponseEntity<ErrorBody> unwrap(Exception ex) throws Throwable {
		Throwable cause = ex;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof TimeoutException timeout) {
			return timedOut(timeout);
		}
		if (cause instanceof RejectedExecutionException rejection) {
			return rejected(rejection);
		}
		if (cause instanceof RestClientException || cause instanceof IOException
				|| cause instanceof UncheckedIOException) {
			return upstreamFailed((Exception) cause);
		}
		throw cause;
	}

}
