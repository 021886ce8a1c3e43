/** The {@code surge} command line: one small picocli command per user task. */
package io.surge.cli;
