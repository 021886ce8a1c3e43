-- Flink SQL for analysts: the results topic as a table (raw binary Avro, read_committed).
-- The Avro schema is derived from this DDL, so nullability must match schemas/InferenceResult.avsc
-- (NOT NULL where the field is not a union with null). Timestamps are TIMESTAMP(3): Flink's avro
-- format rejects TIMESTAMP_LTZ(3).
CREATE TABLE results (
  request_id     STRING NOT NULL,
  service        STRING NOT NULL,
  variant        STRING,
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
  WATERMARK FOR completed_at AS completed_at - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'results',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'avro'
);

-- Effective accuracy (accuracy of on-time answers, late = wrong), SLO attainment and shed rate per minute.
SELECT window_start, service, policy_version,
       COUNT(*)                                              AS requests,
       AVG(reward)                                           AS effective_accuracy,
       AVG(CASE WHEN status = 'OK' THEN 1.0 ELSE 0.0 END)    AS slo_attainment,
       AVG(CASE WHEN status = 'SHED' THEN 1.0 ELSE 0.0 END)  AS shed_rate
FROM TABLE(TUMBLE(TABLE results, DESCRIPTOR(completed_at), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, service, policy_version;
