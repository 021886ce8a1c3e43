/** Typed {@code surge.*} options of the job and how they are read (YAML plus overrides). */
package io.surge.jobs.config;
