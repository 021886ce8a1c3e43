/**
 * The HTTP layer of {@code surge serve}: KServe v2 REST endpoints on the JDK {@code HttpServer}
 * over an {@link io.surge.serving.engine.ModelExecutor}, with Triton's status mapping and error
 * bodies, bounded request bodies and a draining shutdown.
 */
package io.surge.serving.server;
