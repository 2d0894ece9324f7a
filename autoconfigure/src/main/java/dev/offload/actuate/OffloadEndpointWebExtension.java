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

package dev.offload.actuate;

import org.springframework.aot.hint.annotation.RegisterReflectionForBinding;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

import dev.offload.OffloadConfigurationException;
import dev.offload.actuate.OffloadEndpoint.ExecutorDescriptor;
import dev.offload.reconfigure.ExecutorChange;

/**
 * The web extension of the {@link OffloadEndpoint}: its write operation over HTTP, which
 * answers a refused resize with a 400 whose body says what is wrong and what to do (the
 * same text as at startup). Without it, Spring Boot's error page would show the message
 * only with {@code server.error.include-message=always}.
 *
 * @since 0.1.0
 */
@EndpointWebExtension(endpoint = OffloadEndpoint.class)
@RegisterReflectionForBinding(OffloadEndpointWebExtension.ResizeRefused.class)
public class OffloadEndpointWebExtension {

	private final OffloadEndpoint endpoint;

	/**
	 * Creates the extension of an endpoint.
	 * @param endpoint the endpoint
	 */
	public OffloadEndpointWebExtension(OffloadEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * Resizes a live executor, as {@link OffloadEndpoint#resize} does.
	 * @param executor the executor's name
	 * @param coreSize the new core size of a platform pool, or {@code null} to keep it
	 * @param maxSize the new maximum size of a platform pool, or {@code null} to keep it
	 * @param queueCapacity the new queue capacity, or {@code null} to keep it
	 * @param maxConcurrency the new concurrency limit of a virtual executor, or
	 * {@code null} to keep it
	 * @param timeout the new default timeout, or {@code null} to keep it
	 * @param minLimit the new lowest limit of an adaptive executor, or {@code null} to
	 * keep it
	 * @param maxLimit the new highest limit of an adaptive executor, or {@code null} to
	 * keep it
	 * @param securityContext who asks
	 * @return 200 with the executor's new state, 400 with {@link ResizeRefused} if a
	 * value is invalid or the executor cannot be resized, 404 if there is no executor of
	 * that name
	 */
	// Spring's @Nullable: see OffloadEndpoint#resize.
	@WriteOperation
	@SuppressWarnings("deprecation")
	public WebEndpointResponse<Object> resize(@Selector String executor,
			@org.springframework.lang.Nullable Integer coreSize, @org.springframework.lang.Nullable Integer maxSize,
			@org.springframework.lang.Nullable Integer queueCapacity,
			@org.springframework.lang.Nullable Integer maxConcurrency,
			@org.springframework.lang.Nullable String timeout, @org.springframework.lang.Nullable Integer minLimit,
			@org.springframework.lang.Nullable Integer maxLimit, SecurityContext securityContext) {
		try {
			ExecutorDescriptor resized = this.endpoint.apply(executor,
					new ExecutorChange(coreSize, maxSize, queueCapacity, maxConcurrency, timeout, minLimit, maxLimit),
					securityContext);
			if (resized == null) {
				return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
			}
			return new WebEndpointResponse<>(resized, WebEndpointResponse.STATUS_OK);
		}
		catch (OffloadConfigurationException ex) {
			return new WebEndpointResponse<>(new ResizeRefused(ex.getDescription(), ex.getAction()),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
	}

	/**
	 * Why a resize was refused.
	 *
	 * @param message what is wrong, as at startup
	 * @param action what to do
	 * @since 0.1.0
	 */
	public record ResizeRefused(String message, String action) {
	}

}
