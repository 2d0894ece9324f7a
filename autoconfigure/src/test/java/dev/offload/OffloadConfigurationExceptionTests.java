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

package dev.offload;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OffloadConfigurationException}: what each misuse reports and what it
 * tells the user to do.
 */
class OffloadConfigurationExceptionTests {

	private static final String METHOD = "com.example.Reports.render()";

	@Test
	void privateMethodIsNotInterceptableByAnyProxy() {
		OffloadConfigurationException ex = OffloadConfigurationException.notInterceptable(METHOD, "private");
		assertThat(ex.getDescription()).isEqualTo("@Offload method com.example.Reports.render() is private, so no "
				+ "proxy can intercept it: calls would run the body on the caller thread.");
		assertThat(ex.getAction()).isEqualTo("Make com.example.Reports.render() a public instance method (with "
				+ "Spring's class-based proxies, the default in Spring Boot, a protected or package-private one works "
				+ "too), or remove @Offload.");
	}

	@Test
	void finalMethodIsNotInterceptableByClassBasedProxy() {
		OffloadConfigurationException ex = OffloadConfigurationException.notInterceptable(METHOD, "final");
		assertThat(ex.getDescription()).isEqualTo("@Offload method com.example.Reports.render() is final, so the "
				+ "class-based (CGLIB) proxy of its bean cannot override it: calls would bypass the proxy and run the "
				+ "body on the caller thread.");
		assertThat(ex.getAction()).isEqualTo("Remove final from com.example.Reports.render(), or remove @Offload.");
	}

	@Test
	void methodNotOnProxiedInterfaceNamesTheInterfaces() {
		OffloadConfigurationException ex = OffloadConfigurationException.notOnProxiedInterface(METHOD,
				List.of("com.example.ReportApi", "java.io.Serializable"));
		assertThat(ex.getDescription()).isEqualTo("@Offload method com.example.Reports.render() is declared on none "
				+ "of the interfaces its bean is proxied through (com.example.ReportApi, java.io.Serializable): an "
				+ "interface-based (JDK dynamic) proxy intercepts only their methods, so calls would run the body on "
				+ "the caller thread.");
		assertThat(ex.getAction()).isEqualTo("Declare com.example.Reports.render() on one of those interfaces, or "
				+ "have the bean proxied by class (spring.aop.proxy-target-class=true, the default in Spring Boot), or "
				+ "remove @Offload.");
	}

	@Test
	void packagePrivateMethodOutsideTheBeanPackageIsNotVisibleToProxy() {
		OffloadConfigurationException ex = OffloadConfigurationException
			.notVisibleToProxy("com.example.base.Base.render()", "com.example.Reports");
		assertThat(ex.getDescription()).isEqualTo("@Offload method com.example.base.Base.render() is package-private "
				+ "and declared outside the package of its bean's class com.example.Reports, so the class-based "
				+ "(CGLIB) proxy, a subclass in that package, cannot override it: calls would bypass the proxy and "
				+ "run the body on the caller thread.");
		assertThat(ex.getAction())
			.isEqualTo("Make com.example.base.Base.render() public or protected, or remove @Offload.");
	}

	@Test
	void offloadedAndAsyncOnTheSameMethod() {
		OffloadConfigurationException ex = OffloadConfigurationException.offloadedAndAsync(METHOD, METHOD);
		assertThat(ex.getDescription()).isEqualTo("@Offload method com.example.Reports.render() is also @Async: two "
				+ "executors for one body, so it would run on neither as intended (@Offload's timeout and "
				+ "cancellation would act on the wrong thread).");
		assertThat(ex.getAction()).isEqualTo("Keep one of the two: remove @Async from com.example.Reports.render(), "
				+ "or remove @Offload from com.example.Reports.render() (on a type, @Offload offloads every public "
				+ "method: annotate methods one by one instead).");
	}

	@Test
	void offloadedAndAsyncThroughItsType() {
		OffloadConfigurationException ex = OffloadConfigurationException.offloadedAndAsync(METHOD,
				"com.example.Reports");
		assertThat(ex.getDescription()).isEqualTo("@Offload method com.example.Reports.render() is also @Async "
				+ "(@Async on com.example.Reports): two executors for one body, so it would run on neither as intended "
				+ "(@Offload's timeout and cancellation would act on the wrong thread).");
		assertThat(ex.getAction()).startsWith("Keep one of the two: remove @Async from com.example.Reports, or ");
	}

}
