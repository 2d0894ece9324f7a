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

import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.offload.sample.support.AbstractApiExceptionHandler;

/**
 * Turns the failures of offloaded calls into clear answers, without a stack trace: a call
 * that timed out into 504 Gateway Timeout, a call that a saturated executor rejected into
 * 503 Service Unavailable, a failed dependency into 502 Bad Gateway (the handlers of
 * {@link AbstractApiExceptionHandler}). A reactive controller's {@code Mono} signals the
 * exception itself, not wrapped, so nothing here unwraps.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends AbstractApiExceptionHandler {

}
