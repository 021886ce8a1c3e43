-- Flink SQL for analysts: the results topic as a table (raw binary Avro, read_committed).
-- Timestamps are TIMESTAMP(3): Flink's avro format rejects TIMESTAMP_LTZ(3).
CREATE TABLE results (
  request_id     STRING,
  service        STRING,
  variant        STRING,
  server         STRING,
  policy_version BIGINT,
  status         STRING,
  created_at     TIMESTAMP(3),
  decided_at     TIMESTAMP(3),
  completed_at   TIMESTAMP(3),
  latency_ms     DOUBLE,
  queue_ms       DOUBLE,
  accuracy       DOUBLE,
  reward         DOUBLE,
  outputs        ARRAY<ROW<name STRING, datatype STRING, shape ARRAY<BIGINT>, data BYTES>>,
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
