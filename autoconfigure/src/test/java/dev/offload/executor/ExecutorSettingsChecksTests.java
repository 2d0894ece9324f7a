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

package dev.offload.executor;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.offload.OffloadConfigurationException;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link ExecutorSettingsChecks}: each check lets its limit through and names
 * the property and the fix for what is past it.
 */
class ExecutorSettingsChecksTests {

	@Test
	void atLeastAcceptsTheMinimumAndAnUnsetValue() {
		assertThatNoException().isThrownBy(() -> ExecutorSettingsChecks.checkAtLeast("k", 1, 1));
		assertThatNoException().isThrownBy(() -> ExecutorSettingsChecks.checkAtLeast("k", null, 1));
		assertThatExceptionOfType(OffloadConfigurationException.class)
			.isThrownBy(() -> ExecutorSettingsChecks.checkAtLeast("offload.executors.io.core-size", 0, 1))
			.withMessage(
					"Invalid offload setting 'offload.executors.io.core-size': it is 0, but it must be 1 or more.");
	}

	@Test
	void positiveRejectsNegativeAlwaysAndZeroOnlyWhereItIsNotAllowed() {
		assertThatNoException().isThrownBy(() -> ExecutorSettingsChecks.checkPositive("k", Duration.ZERO, true));
		assertThatNoException()
			.isThrownBy(() -> ExecutorSettingsChecks.checkPositive("k", Duration.ofMillis(1), false));
		assertThatNoException().isThrownBy(() -> ExecutorSettingsChecks.checkPositive("k", null, false));
		assertThatExceptionOfType(OffloadConfigurationException.class)
			.isThrownBy(() -> ExecutorSettingsChecks.checkPositive("k", Duration.ZERO, false))
			.withMessage("Invalid offload setting 'k': it is PT0S, but it must be positive.")
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.getAction())
				.startsWith("Set k to a positive duration"));
		assertThatExceptionOfType(OffloadConfigurationException.class)
			.isThrownBy(() -> ExecutorSettingsChecks.checkPositive("k", Duration.ofMillis(-1), true))
			.withMessage("Invalid offload setting 'k': it is PT-0.001S, but it must be zero or positive.")
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.getAction())
				.startsWith("Set k to a non-negative duration"));
	}

	@Test
	void maxSizeMayEqualCoreSizeButNotBeSmaller() {
		assertThatNoException().isThrownBy(() -> ExecutorSettingsChecks.checkMaxSize("io", 4, 4));
		assertThatNoException().isThrownBy(() -> ExecutorSettingsChecks.checkMaxSize("io", null, 1));
		assertThatNoException().isThrownBy(() -> ExecutorSettingsChecks.checkMaxSize("io", 4, null));
		assertThatExceptionOfType(OffloadConfigurationException.class)
			.isThrownBy(() -> ExecutorSettingsChecks.checkMaxSize("io", 4, 3))
			.withMessage(
					"Invalid offload setting 'offload.executors.io.max-size': it is 3, smaller than core-size (4).");
	}

	@Test
	void virtualExecutorTakesNoPoolKeys() {
		assertThatNoException().isThrownBy(() -> ExecutorSettingsChecks.checkNoPoolKeysOnVirtual("io", List.of()));
		assertThatExceptionOfType(OffloadConfigurationException.class)
			.isThrownBy(() -> ExecutorSettingsChecks.checkNoPoolKeysOnVirtual("io", List.of("core-size", "max-size")))
			.withMessageStartingWith("Invalid offload setting 'offload.executors.io.core-size': executor 'io' is "
					+ "virtual (one new thread per call), so it has no pool to size, but core-size, max-size is set.");
	}

	@Test
	void platformExecutorTakesNoMaxConcurrency() {
		assertThatNoException().isThrownBy(() -> ExecutorSettingsChecks.checkNoMaxConcurrencyOnPlatform("io", null));
		assertThatExceptionOfType(OffloadConfigurationException.class)
			.isThrownBy(() -> ExecutorSettingsChecks.checkNoMaxConcurrencyOnPlatform("io", 10))
			.withMessageStartingWith("Invalid offload setting 'offload.executors.io.max-concurrency': ");
	}

}
