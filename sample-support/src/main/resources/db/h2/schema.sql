-- The sample's tables on H2. PostgreSQL's pg_sleep(seconds), so that the same queries run on both.
CREATE ALIAS IF NOT EXISTS PG_SLEEP FOR 'dev.offload.sample.support.H2Functions.pgSleep';

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
