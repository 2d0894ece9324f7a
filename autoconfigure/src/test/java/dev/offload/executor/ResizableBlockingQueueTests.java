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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ResizableBlockingQueue}, with race harnesses for offers that compete
 * with each other, with consumers and with a change of capacity.
 */
class ResizableBlockingQueueTests {

	private static final int ITERATIONS = 2000;

	private final ExecutorService threads = Executors.newFixedThreadPool(4);

	@AfterEach
	void close() {
		this.threads.shutdownNow();
	}

	@Test
	void offerRefusesOnceFull() {
		ResizableBlockingQueue<String> queue = new ResizableBlockingQueue<>(2);
		assertThat(queue.offer("a")).isTrue();
		assertThat(queue.remainingCapacity()).isOne();
		assertThat(queue.offer("b")).isTrue();
		assertThat(queue.offer("c")).isFalse();
		assertThat(queue).containsExactly("a", "b");
		assertThat(queue.remainingCapacity()).isZero();
		assertThat(queue.getCapacity()).isEqualTo(2);
	}

	@Test
	void growingAcceptsMore() {
		ResizableBlockingQueue<String> queue = new ResizableBlockingQueue<>(1);
		assertThat(queue.offer("a")).isTrue();
		assertThat(queue.offer("b")).isFalse();
		queue.setCapacity(3);
		assertThat(queue.offer("b")).isTrue();
		assertThat(queue.offer("c")).isTrue();
		assertThat(queue.offer("d")).isFalse();
		assertThat(queue).containsExactly("a", "b", "c");
	}

	@Test
	void shrinkingBelowLengthKeepsQueuedElementsAndRefusesUntilItFits() {
		ResizableBlockingQueue<Integer> queue = new ResizableBlockingQueue<>(5);
		for (int i = 0; i < 5; i++) {
			assertThat(queue.offer(i)).isTrue();
		}
		queue.setCapacity(2);
		assertThat(queue).containsExactly(0, 1, 2, 3, 4);
		assertThat(queue.remainingCapacity()).isZero();
		assertThat(queue.offer(5)).isFalse();
		assertThat(queue.poll()).isEqualTo(0);
		assertThat(queue.poll()).isEqualTo(1);
		assertThat(queue.poll()).isEqualTo(2);
		assertThat(queue.offer(5)).as("2 queued, capacity 2").isFalse();
		assertThat(queue.poll()).isEqualTo(3);
		assertThat(queue.offer(5)).isTrue();
		assertThat(queue).containsExactly(4, 5);
	}

	@Test
	void capacityZeroRefusesWithoutAWaitingConsumer() {
		ResizableBlockingQueue<String> queue = new ResizableBlockingQueue<>(0);
		assertThat(queue.offer("a")).isFalse();
		assertThat(queue.remainingCapacity()).isZero();
		assertThat(queue).isEmpty();
	}

	@Test
	void capacityZeroHandsOffToAWaitingConsumer() throws Exception {
		ResizableBlockingQueue<String> queue = new ResizableBlockingQueue<>(0);
		Future<String> taken = this.threads.submit(() -> queue.take());
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> queue.offer("a"));
		assertThat(taken.get(5, TimeUnit.SECONDS)).isEqualTo("a");
		assertThat(queue.offer("b")).as("no consumer waits any more").isFalse();
	}

	@Test
	void timedPollCountsAsAWaitingConsumer() throws Exception {
		ResizableBlockingQueue<String> queue = new ResizableBlockingQueue<>(0);
		Future<String> taken = this.threads.submit(() -> queue.poll(10, TimeUnit.SECONDS));
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> queue.offer("a"));
		assertThat(taken.get(5, TimeUnit.SECONDS)).isEqualTo("a");
	}

	@Test
	void blockingProducersAreNotSupported() {
		ResizableBlockingQueue<String> queue = new ResizableBlockingQueue<>(1);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> queue.put("a"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> queue.offer("a", 1, TimeUnit.SECONDS));
	}

	@Test
	void negativeCapacityIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ResizableBlockingQueue<>(-1));
		ResizableBlockingQueue<String> queue = new ResizableBlockingQueue<>(1);
		assertThatIllegalArgumentException().isThrownBy(() -> queue.setCapacity(-1));
		assertThat(queue.getCapacity()).isOne();
	}

	/**
	 * Four producers offer at once into a queue with room for three: exactly three get
	 * in, never four.
	 */
	@Test
	void racingOffersNeverOverfill() throws Exception {
		for (int i = 0; i < ITERATIONS; i++) {
			ResizableBlockingQueue<Integer> queue = new ResizableBlockingQueue<>(3);
			CyclicBarrier start = new CyclicBarrier(4);
			List<Future<Boolean>> offers = new ArrayList<>();
			for (int p = 0; p < 4; p++) {
				int element = p;
				offers.add(this.threads.submit(() -> {
					start.await(5, TimeUnit.SECONDS);
					return queue.offer(element);
				}));
			}
			int accepted = 0;
			for (Future<Boolean> offer : offers) {
				accepted += offer.get(5, TimeUnit.SECONDS) ? 1 : 0;
			}
			assertThat(accepted).as("iteration %d", i).isEqualTo(3);
			assertThat(queue).hasSize(3);
		}
	}

	/**
	 * With capacity 0, one waiting consumer and two offers at once, exactly one offer is
	 * handed off: a direct hand-off never queues a second element behind the consumer
	 * that has just taken the first, as a {@code SynchronousQueue} never does.
	 */
	@Test
	void racingOffersHandOffExactlyOnceToOneWaitingConsumer() throws Exception {
		for (int i = 0; i < ITERATIONS; i++) {
			ResizableBlockingQueue<Integer> queue = new ResizableBlockingQueue<>(0);
			Future<Integer> taken = this.threads.submit(() -> queue.poll(5, TimeUnit.SECONDS));
			Awaitility.await()
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofNanos(100_000))
				.atMost(Duration.ofSeconds(5))
				.until(() -> queue.getWaitingConsumerCount() == 1);
			CyclicBarrier start = new CyclicBarrier(2);
			List<Future<Boolean>> offers = new ArrayList<>();
			for (int p = 0; p < 2; p++) {
				int element = p;
				offers.add(this.threads.submit(() -> {
					start.await(5, TimeUnit.SECONDS);
					return queue.offer(element);
				}));
			}
			int accepted = 0;
			for (Future<Boolean> offer : offers) {
				accepted += offer.get(5, TimeUnit.SECONDS) ? 1 : 0;
			}
			assertThat(accepted).as("iteration %d", i).isEqualTo(1);
			assertThat(taken.get(5, TimeUnit.SECONDS)).as("iteration %d", i).isNotNull();
			assertThat(queue).as("iteration %d", i).isEmpty();
		}
	}

	/**
	 * With capacity 0 and one waiting consumer, an offer made as soon as the consumer has
	 * taken the first element is refused: the consumer no longer waits, even if it has
	 * not returned yet.
	 */
	@Test
	void offerRightAfterAHandOffIsRefused() throws Exception {
		for (int i = 0; i < ITERATIONS; i++) {
			ResizableBlockingQueue<Integer> queue = new ResizableBlockingQueue<>(0);
			Future<Integer> taken = this.threads.submit(() -> queue.poll(5, TimeUnit.SECONDS));
			Awaitility.await()
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofNanos(100_000))
				.atMost(Duration.ofSeconds(5))
				.until(() -> queue.getWaitingConsumerCount() == 1);
			assertThat(queue.offer(1)).isTrue();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (!queue.isEmpty() && System.nanoTime() - deadline < 0) {
				Thread.onSpinWait();
			}
			assertThat(queue.offer(2)).as("iteration %d", i).isFalse();
			assertThat(taken.get(5, TimeUnit.SECONDS)).isOne();
		}
	}

	/**
	 * Producers offer while a consumer takes and the capacity drops from 4 to 1: the
	 * queue never holds more than the larger capacity, the capacity in force at the end
	 * holds once the consumer has caught up, and every accepted element is taken exactly
	 * once.
	 */
	@Test
	void offersRacingAShrinkLoseNothingAndRespectTheNewCapacity() throws Exception {
		for (int i = 0; i < ITERATIONS; i++) {
			ResizableBlockingQueue<Integer> queue = new ResizableBlockingQueue<>(4);
			CyclicBarrier start = new CyclicBarrier(4);
			AtomicInteger accepted = new AtomicInteger();
			AtomicInteger maxSize = new AtomicInteger();
			List<Future<?>> tasks = new ArrayList<>();
			for (int p = 0; p < 2; p++) {
				int producer = p;
				tasks.add(this.threads.submit(() -> {
					start.await(5, TimeUnit.SECONDS);
					for (int e = 0; e < 5; e++) {
						if (queue.offer(producer * 10 + e)) {
							accepted.incrementAndGet();
						}
						maxSize.accumulateAndGet(queue.size(), Math::max);
					}
					return null;
				}));
			}
			tasks.add(this.threads.submit(() -> {
				start.await(5, TimeUnit.SECONDS);
				queue.setCapacity(1);
				return null;
			}));
			CompletableFuture<List<Integer>> taken = new CompletableFuture<>();
			tasks.add(this.threads.submit(() -> {
				start.await(5, TimeUnit.SECONDS);
				List<Integer> elements = new ArrayList<>();
				for (int e = 0; e < 3; e++) {
					Integer element = queue.poll();
					if (element != null) {
						elements.add(element);
					}
				}
				taken.complete(elements);
				return null;
			}));
			for (Future<?> task : tasks) {
				task.get(5, TimeUnit.SECONDS);
			}
			List<Integer> all = new ArrayList<>(taken.get(5, TimeUnit.SECONDS));
			assertThat(maxSize.get()).as("iteration %d", i).isLessThanOrEqualTo(4);
			assertThat(queue.offer(99) ? queue.size() : 0).as("iteration %d", i).isLessThanOrEqualTo(1);
			queue.remove(99);
			queue.drainTo(all);
			assertThat(all).as("iteration %d", i).hasSize(accepted.get()).doesNotHaveDuplicates();
		}
	}

}
