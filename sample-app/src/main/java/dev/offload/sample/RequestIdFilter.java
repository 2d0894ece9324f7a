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
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;

import dev.offload.sample.support.CallResult;

/**
 * Gives every request an id: the {@code X-Request-Id} header when the client sends a
 * sensible one, a fresh one otherwise. The id goes into the MDC as {@code requestId} (so
 * every log line of the request, and of the offloaded calls it makes, carries it) and
 * back to the client in the {@code X-Request-Id} response header. Runs before Spring
 * Security, and on the async and error dispatches of the request too; the MDC is cleared
 * when the request is done.
 */
public class RequestIdFilter extends OncePerRequestFilter {

	/**
	 * The request and response header.
	 */
	public static final String HEADER = "X-Request-Id";

	/**
	 * The MDC key, where {@link CallResult} reads the request id.
	 */
	public static final String MDC_KEY = CallResult.REQUEST_ID_MDC_KEY;

	private static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".requestId";

	private static final Pattern SENSIBLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String requestId = (String) request.getAttribute(ATTRIBUTE);
		if (requestId == null) {
			String header = request.getHeader(HEADER);
			requestId = (header != null && SENSIBLE.matcher(header).matches()) ? header
					: UUID.randomUUID().toString().substring(0, 8);
			request.setAttribute(ATTRIBUTE, requestId);
			response.setHeader(HEADER, requestId);
		}
		MDC.put(MDC_KEY, requestId);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(MDC_KEY);
			MDC.remove(UserMdcFilter.MDC_KEY);
		}
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

}
