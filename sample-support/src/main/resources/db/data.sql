-- Seed data, for H2 and PostgreSQL alike.
INSERT INTO product (sku, name, stock) VALUES
	('SKU-1', 'Espresso cup', 42),
	('SKU-2', 'Milk jug', 17),
	('SKU-3', 'Tamper', 4),
	('SKU-4', 'Grinder', 9),
	('SKU-5', 'Scale', 25),
	('SKU-6', 'Knock box', 11),
	('SKU-7', 'Portafilter', 2),
	('SKU-8', 'Descaler', 60);

INSERT INTO customer_order (id, sku, quantity, status) VALUES
	(1, 'SKU-1', 6, 'NEW'),
	(2, 'SKU-3', 1, 'NEW'),
	(3, 'SKU-7', 2, 'NEW'),
	(4, 'SKU-2', 1, 'PAID'),
	(5, 'SKU-5', 1, 'PAID'),
	(6, 'SKU-1', 2, 'PAID'),
	(7, 'SKU-8', 3, 'PAID'),
	(8, 'SKU-4', 1, 'SHIPPED'),
	(9, 'SKU-6', 2, 'SHIPPED'),
	(10, 'SKU-1', 4, 'SHIPPED'),
	(11, 'SKU-2', 2, 'SHIPPED'),
	(12, 'SKU-3', 1, 'SHIPPED');
