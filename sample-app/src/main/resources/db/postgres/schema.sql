-- The sample's tables on PostgreSQL (the postgres profile). Recreated at every start.
DROP TABLE IF EXISTS customer_order;
DROP TABLE IF EXISTS product;

CREATE TABLE product (
	sku VARCHAR(16) PRIMARY KEY,
	name VARCHAR(100) NOT NULL,
	stock INT NOT NULL
);

CREATE TABLE customer_order (
	id BIGINT PRIMARY KEY,
	sku VARCHAR(16) NOT NULL REFERENCES product (sku),
	quantity INT NOT NULL,
	status VARCHAR(16) NOT NULL
);
