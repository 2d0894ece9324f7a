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
package dev.offload.jdbc;

import javax.sql.DataSource;

import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanDefinitionHolder;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.type.MethodMetadata;

/**
 * Puts a {@link StatementCancellingDataSource} in front of every {@link DataSource} bean
 * definition, as Spring's scoped proxies are put in front of their target: the
 * application's definition moves to {@code offloadTarget.<name>} and stops being an
 * autowiring candidate, and a definition of the wrapper, which refers to it, takes its
 * name, its {@code @Primary}/fallback status and its qualifiers.
 * <p>
 * Why not wrap the bean in a {@code BeanPostProcessor}: the application's data source
 * must stay a bean of its own, unchanged, for whatever treats it by its bean name after
 * startup. Spring Cloud's configuration refresh rebinds each
 * {@code @ConfigurationProperties} bean by name; given a wrapper under the data source's
 * name, it rebinds the wrapper and fails ({@code 'existingValue' must be an instance of
 * HikariDataSource}), and given a Spring AOP proxy, recent versions replace the pool with
 * a new, unbound instance. With the data source a bean of its own, a refresh leaves a
 * HikariCP pool alone and rebinds a refreshable pool in place, exactly as without
 * Offload. {@link StatementCancellingDataSourcePostProcessor} still wraps the data
 * sources that have no definition here (a singleton registered as an object).
 *
 * @since 0.1.0
 */
public class StatementCancellingDataSourceRegistrar implements BeanFactoryPostProcessor {

	/**
	 * The prefix of the name that the application's data source bean is moved to.
	 */
	public static final String TARGET_NAME_PREFIX = "offloadTarget.";

	/**
	 * Creates the registrar.
	 */
	public StatementCancellingDataSourceRegistrar() {
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		if (!(beanFactory instanceof BeanDefinitionRegistry registry)) {
			return;
		}
		// Types from the definitions (factory methods' return types): no bean is created.
		for (String name : beanFactory.getBeanNamesForType(DataSource.class, true, false)) {
			if (isEligible(beanFactory, name)) {
				wrap(registry, name);
			}
		}
	}

	/**
	 * Whether the bean is an application's data source to wrap, not one wrapped already
	 * (in this context, or ahead of time), the target of a scoped proxy, or a wrapper the
	 * application declared itself.
	 */
	static boolean isEligible(ConfigurableListableBeanFactory beanFactory, String name) {
		if (name.startsWith(TARGET_NAME_PREFIX) || ScopedProxyUtils.isScopedTarget(name)
				|| !beanFactory.containsBeanDefinition(name)) {
			return false;
		}
		BeanDefinition definition = beanFactory.getBeanDefinition(name);
		if (definition.isAbstract()) {
			return false;
		}
		Class<?> type = beanFactory.getType(name, false);
		return type == null || !StatementCancellingDataSource.class.isAssignableFrom(type);
	}

	private static void wrap(BeanDefinitionRegistry registry, String name) {
		BeanDefinition target = registry.getBeanDefinition(name);
		String targetName = TARGET_NAME_PREFIX + name;
		RootBeanDefinition wrapper = new RootBeanDefinition(StatementCancellingDataSource.class);
		wrapper.getConstructorArgumentValues().addIndexedArgumentValue(0, new RuntimeBeanReference(targetName));
		// As ScopedProxyUtils does for a scoped proxy: the wrapper stands for the target
		// (qualifiers on its factory method are found through the decorated definition).
		wrapper.setDecoratedDefinition(new BeanDefinitionHolder(target, targetName));
		wrapper.setOriginatingBeanDefinition(target);
		wrapper.setSource(target.getSource());
		wrapper.setRole(target.getRole());
		wrapper.setScope(target.getScope());
		wrapper.setLazyInit(target.isLazyInit());
		wrapper.setAutowireCandidate(target.isAutowireCandidate());
		wrapper.setPrimary(target.isPrimary());
		wrapper.setFallback(target.isFallback());
		if (target instanceof AbstractBeanDefinition abstractTarget) {
			wrapper.copyQualifiersFrom(abstractTarget);
			wrapper.setDefaultCandidate(abstractTarget.isDefaultCandidate());
		}
		addQualifierAnnotations(target, wrapper);
		target.setAutowireCandidate(false);
		target.setPrimary(false);
		target.setFallback(false);
		registry.removeBeanDefinition(name);
		registry.registerBeanDefinition(targetName, target);
		registry.registerBeanDefinition(name, wrapper);
	}

	/**
	 * Gives the wrapper, as explicit qualifiers, the {@code @Qualifier} annotations (and
	 * those meta-annotated with it) of the target's factory method or class. The
	 * decorated definition lets Spring find them too, but only in a context built from
	 * the definitions: ahead-of-time processing keeps explicit qualifiers, not decorated
	 * definitions.
	 */
	private static void addQualifierAnnotations(BeanDefinition target, RootBeanDefinition wrapper) {
		if (!(target instanceof AnnotatedBeanDefinition annotated)) {
			return;
		}
		MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
		MergedAnnotations annotations = (factoryMethod != null) ? factoryMethod.getAnnotations()
				: annotated.getMetadata().getAnnotations();
		annotations.stream()
			.filter(MergedAnnotation::isDirectlyPresent)
			.filter((annotation) -> Qualifier.class.equals(annotation.getType())
					|| AnnotatedElementUtils.isAnnotated(annotation.getType(), Qualifier.class))
			.forEach((annotation) -> {
				AutowireCandidateQualifier qualifier = new AutowireCandidateQualifier(annotation.getType());
				annotation.asMap().forEach(qualifier::setAttribute);
				wrapper.addQualifier(qualifier);
			});
	}

}
