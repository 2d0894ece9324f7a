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

package dev.offload.aop;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;

import dev.offload.executor.OffloadExecutors;

/**
 * Proxies the beans that have {@link dev.offload.Offload @Offload} methods, the way
 * Spring's {@code AsyncAnnotationBeanPostProcessor} does for {@code @Async}: with Spring
 * AOP alone, and with the offload advice placed before any existing advice, so that
 * {@code @Transactional} and the like run on the worker thread, inside the offloaded
 * call.
 * <p>
 * Every proxied bean's {@code @Offload} methods are checked here, at startup, against the
 * proxy that was actually created (or extended): an unsupported return type, a method
 * that proxy cannot intercept, a method that is {@code @Async} as well, an unknown
 * executor or a bad timeout stops the application.
 *
 * @since 0.1.0
 */
public class OffloadAnnotationBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	/**
	 * Supplies the executor registry when the first {@code @Offload} bean needs it.
	 */
	private final Supplier<OffloadExecutors> executors;

	/**
	 * The target and proxy classes already checked at startup.
	 */
	private final Set<ProxiedClass> validated = ConcurrentHashMap.newKeySet();

	/**
	 * The target classes whose {@code @Offload} methods' libraries were checked.
	 */
	private final Set<Class<?>> dependenciesChecked = ConcurrentHashMap.newKeySet();

	/**
	 * Resolves and caches the call site of each {@code @Offload} method.
	 */
	private OffloadMethodResolver resolver;

	/**
	 * Creates a post-processor.
	 * @param executors supplies the executor registry when the first {@code @Offload}
	 * bean needs it, so that it is not created early
	 */
	public OffloadAnnotationBeanPostProcessor(Supplier<OffloadExecutors> executors) {
		this.executors = executors;
		this.resolver = new OffloadMethodResolver(executors, (value) -> value, getProxyClassLoader());
		setBeforeExistingAdvisors(true);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		if (beanFactory instanceof ConfigurableBeanFactory configurable) {
			this.resolver = new OffloadMethodResolver(this.executors, (value) -> {
				String resolved = configurable.resolveEmbeddedValue(value);
				return (resolved != null) ? resolved : value;
			}, configurable.getBeanClassLoader());
		}
		this.advisor = new OffloadAnnotationAdvisor(this.resolver);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (this.advisor != null && isEligible(bean, beanName)) {
			// Before the proxy is made: a proxy of a method whose return type needs a
			// library
			// the application does not have could not be generated.
			Class<?> targetClass = AopUtils.getTargetClass(bean);
			if (this.dependenciesChecked.add(targetClass)) {
				this.resolver.checkDependencies(targetClass);
			}
		}
		Object result = super.postProcessAfterInitialization(bean, beanName);
		if (this.advisor != null && result instanceof Advised advised && advised.indexOf(this.advisor) >= 0) {
			ProxiedClass proxied = new ProxiedClass(AopUtils.getTargetClass(result), result.getClass());
			if (this.validated.add(proxied)) {
				try {
					this.resolver.validate(proxied.targetClass(),
							AopUtils.isJdkDynamicProxy(result) ? AopProxyUtils.proxiedUserInterfaces(result) : null);
				}
				catch (RuntimeException ex) {
					this.validated.remove(proxied);
					throw ex;
				}
			}
		}
		return result;
	}

	private record ProxiedClass(Class<?> targetClass, Class<?> proxyClass) {
	}

}
