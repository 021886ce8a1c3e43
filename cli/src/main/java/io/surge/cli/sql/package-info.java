/**
 * Flink SQL over the results topic for analysts: {@link io.surge.cli.sql.SqlScript} splits a file
 * of statements (and the names of its queries), {@link io.surge.cli.sql.ResultsSql} runs them on an
 * embedded Flink (batch mode, the topic read up to its latest committed offset) after the shipped
 * DDL of {@code deploy/sql/results.sql}, and {@link io.surge.cli.sql.TextTable} prints an answer.
 * Backs {@code surge sql}.
 */
package io.surge.cli.sql;
