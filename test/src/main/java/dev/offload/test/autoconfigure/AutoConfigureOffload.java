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

package dev.offload.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Brings Offload into a test slice ({@code @WebMvcTest}, {@code @JdbcTest},
 * {@code @DataJpaTest}, …), which leaves out every auto-configuration it does not list:
 * {@code @Offload} methods then run on their executors as in the application, instead of
 * on the caller's thread, with context propagation, JDBC statement cancellation, and the
 * meters and observations when the slice has a {@code MeterRegistry} or an
 * {@code ObservationRegistry}. An {@link dev.offload.test.OffloadQuiescence} bean comes
 * with it.
 * <p>
 * A {@code @SpringBootTest} needs none of this: it has every auto-configuration. The
 * auto-configurations are listed in
 * {@code META-INF/spring/dev.offload.test.autoconfigure.AutoConfigureOffload.imports},
 * the way Spring Boot's own {@code @AutoConfigure…} annotations list theirs; the actuator
 * endpoint is not among them (slices have no actuator endpoints).
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureOffload {

}
