/**
 * Presentation for {@code surge train} and {@code surge evaluate}: the progress bar and the plots;
 * the training and evaluation themselves live in the Flink-free {@code io.surge.train}.
 */
package io.surge.cli.train;
