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

package dev.offload.sample.support;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Blocking SQL queries with Spring's {@link JdbcClient}: the calling thread waits for the
 * database. Each query also makes the database wait {@code sample.jdbc.delay} with
 * {@code pg_sleep} (PostgreSQL's function; on H2, an alias that {@code db/h2/schema.sql}
 * defines), so that it is as slow as a real query on a busy server. The wait is a one-row
 * derived table on the left of a {@code LEFT JOIN}, which fixes the join order, so that
 * the database waits once per query rather than once per row.
 */
@Repository
public class CatalogRepository {

	private final JdbcClient jdbc;

	private final double delaySeconds;

	/**
	 * Creates the repository.
	 * @param jdbc the client
	 * @param delay how long the database waits in each query ({@code sample.jdbc.delay})
	 */
	public CatalogRepository(JdbcClient jdbc, Duration delay) {
		this.jdbc = jdbc;
		this.delaySeconds = delay.toMillis() / 1000.0;
	}

	/**
	 * Finds the products whose stock is below a threshold, lowest first.
	 * @param threshold the stock level
	 * @return the products
	 */
	public List<Product> findLowStock(int threshold) {
		return this.jdbc.sql("""
				SELECT p.sku, p.name, p.stock
				FROM (SELECT pg_sleep(:delay) AS waited) AS slow
					LEFT JOIN product p ON p.stock < :threshold
				WHERE p.sku IS NOT NULL
				ORDER BY p.stock, p.sku""")
			.param("delay", this.delaySeconds)
			.param("threshold", threshold)
			.query(Product.class)
			.list();
	}

	/**
	 * Counts the orders and their units per status.
	 * @return one line per status
	 */
	public List<OrderSummary> summarizeOrders() {
		return this.jdbc.sql("""
				SELECT o.status, COUNT(*) AS orders, SUM(o.quantity) AS units
				FROM (SELECT pg_sleep(:delay) AS waited) AS slow
					LEFT JOIN customer_order o ON TRUE
				WHERE o.id IS NOT NULL
				GROUP BY o.status
				ORDER BY o.status""").param("delay", this.delaySeconds).query(OrderSummary.class).list();
	}

	/**
	 * Describes a list of products in one line.
	 * @param products the products
	 * @return such as {@code "3 low in stock: SKU-7 (2), SKU-3 (4)"}
	 */
	public static String describe(List<Product> products) {
		return products.size() + " low in stock: "
				+ products.stream().map((p) -> p.sku() + " (" + p.stock() + ")").collect(Collectors.joining(", "));
	}

	/**
	 * A product.
	 *
	 * @param sku its stock-keeping unit
	 * @param name its name
	 * @param stock the units in stock
	 */
	public record Product(String sku, String name, int stock) {
	}

	/**
	 * The orders of one status.
	 *
	 * @param status the status
	 * @param orders how many orders
	 * @param units how many units they order
	 */
	public record OrderSummary(String status, long orders, long units) {

		@Override
		public String toString() {
			return this.status + " " + this.orders + " orders/" + this.units + " units";
		}

	}

}
