-- Flink SQL for analysts: the results topic as a table (raw binary Avro, read_committed).
--
-- Run it in Flink's SQL client (`sql-client.sh -i deploy/sql/results.sql`), then the queries of
-- deploy/sql/queries.sql; or with `surge sql`, which runs this same file and points the table at
-- --bootstrap/--topic-prefix with ALTER TABLE ... SET.
--
-- The Avro schema is derived from this DDL, so nullability must match schemas/InferenceResult.avsc
-- (NOT NULL where the field is not a union with null). Timestamps are TIMESTAMP(3): Flink's avro
-- format rejects TIMESTAMP_LTZ(3); they hold UTC.
--
-- Event time is created_at (when the request arrived), so a window holds the requests that
-- arrived in it, whatever became of them. A result is written at most about one deadline after
-- its request arrived; the watermark allows 30 s of that disorder per partition.
--
-- 'scan.bounded.mode' = 'latest-offset' makes a query read what is on the topic when it starts
-- and end (a report); remove it (ALTER TABLE results RESET ('scan.bounded.mode')) for a
-- continuous query whose windows close as the watermark passes them.
CREATE TABLE results (
  request_id     STRING NOT NULL,
  service        STRING NOT NULL,
  `variant`      STRING,
  server         STRING,
  policy_version BIGINT NOT NULL,
  status         STRING NOT NULL,
  created_at     TIMESTAMP(3) NOT NULL,
  decided_at     TIMESTAMP(3) NOT NULL,
  completed_at   TIMESTAMP(3) NOT NULL,
  latency_ms     DOUBLE NOT NULL,
  queue_ms       DOUBLE,
  accuracy       DOUBLE NOT NULL,
  reward         DOUBLE NOT NULL,
  outputs        ARRAY<ROW<name STRING NOT NULL, datatype STRING NOT NULL, shape ARRAY<BIGINT NOT NULL> NOT NULL, data BYTES NOT NULL> NOT NULL>,
  error          STRING,
  WATERMARK FOR created_at AS created_at - INTERVAL '30' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'results',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'surge-sql',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'avro'
);
