-- The first questions an analyst asks of the results topic (table `results`, deploy/sql/results.sql).
-- Each query is named by a `-- name:` line; `surge sql --queries` (or -f this file) runs them all
-- and SqlQueriesITCase checks every answer against the same figures computed from the records.
--
-- Definitions (docs/DESIGN.md section 1): effective accuracy = mean reward (the variant's accuracy
-- if the answer was on time, 0 if late, failed or shed); SLO attainment = share of requests
-- answered on time (status OK); rates are averages of 1E0/0E0 (DOUBLE literals: 1.0 would be a
-- DECIMAL, which AVG rounds to 6 places). Every valid request has exactly one result, so results that
-- arrived in a window count the requests that arrived in it. `variant` is quoted: VARIANT is a
-- reserved word (a type) since Flink 2.1.

-- name: accuracy-per-policy-per-minute
-- Effective accuracy and SLO attainment per policy version per minute (tumbling event-time windows).
SELECT window_start, service, policy_version,
       COUNT(*)                                           AS requests,
       AVG(reward)                                        AS effective_accuracy,
       AVG(CASE WHEN status = 'OK' THEN 1E0 ELSE 0E0 END) AS slo_attainment
FROM TABLE(TUMBLE(TABLE results, DESCRIPTOR(created_at), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, service, policy_version;

-- name: latency-per-variant
-- p50/p99 end-to-end latency (ms) per variant of the requests that were served (shed ones have none).
-- PERCENTILE interpolates linearly between the two nearest values.
SELECT service, `variant`,
       COUNT(*)                       AS served,
       PERCENTILE(latency_ms, 0.5)    AS p50_ms,
       PERCENTILE(latency_ms, 0.99)   AS p99_ms
FROM results
WHERE `variant` IS NOT NULL
GROUP BY service, `variant`;

-- name: outcomes-per-service
-- Shed, late and failed rates per service.
SELECT service,
       COUNT(*)                                               AS requests,
       AVG(CASE WHEN status = 'SHED'   THEN 1E0 ELSE 0E0 END) AS shed_rate,
       AVG(CASE WHEN status = 'LATE'   THEN 1E0 ELSE 0E0 END) AS late_rate,
       AVG(CASE WHEN status = 'FAILED' THEN 1E0 ELSE 0E0 END) AS failed_rate
FROM results
GROUP BY service;

-- name: variant-mix-vs-arrival-rate
-- The variant mix (shed as its own row) against the arrival rate, per 10 s of event time.
SELECT mix.window_start, mix.service,
       CAST(total.arrivals AS DOUBLE) / 10                  AS arrivals_per_s,
       mix.`variant`,
       mix.requests,
       CAST(mix.requests AS DOUBLE) / total.arrivals        AS share
FROM (
  SELECT window_start, service, COALESCE(`variant`, '(shed)') AS `variant`, COUNT(*) AS requests
  FROM TABLE(TUMBLE(TABLE results, DESCRIPTOR(created_at), INTERVAL '10' SECOND))
  GROUP BY window_start, window_end, service, COALESCE(`variant`, '(shed)')
) AS mix
JOIN (
  SELECT window_start, service, COUNT(*) AS arrivals
  FROM TABLE(TUMBLE(TABLE results, DESCRIPTOR(created_at), INTERVAL '10' SECOND))
  GROUP BY window_start, window_end, service
) AS total
ON mix.window_start = total.window_start AND mix.service = total.service;
