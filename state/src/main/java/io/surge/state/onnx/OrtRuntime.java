package io.surge.state.onnx;

import ai.onnxruntime.OrtEnvironment;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The JVM's one ONNX Runtime environment, created on a thread with a large stack. Every ONNX user
 * (the embedded server, the ladder, the ONNX policy) gets it here; it lives in {@code state/}
 * because that is the layer they all share.
 *
 * <p>Why: on this project's machines ONNX Runtime 1.29.0 crashes the JVM with SIGSEGV (a stack
 * overflow in native code, no Java exception) when {@link OrtEnvironment#getEnvironment()} first
 * runs on a thread with the default 1-2 MiB stack; it needs about 4 MiB. Sessions and runs after
 * that work on ordinary threads.
 */
public final class OrtRuntime {

  private static final long INIT_STACK_BYTES = 32L << 20;
  private static volatile OrtEnvironment environment;

  private OrtRuntime() {}

  /** The shared environment, created on first use. */
  public static OrtEnvironment environment() {
    OrtEnvironment env = environment;
    if (env != null) {
      return env;
    }
    synchronized (OrtRuntime.class) {
      if (environment == null) {
        environment = createOnLargeStack();
      }
      return environment;
    }
  }

  private static OrtEnvironment createOnLargeStack() {
    AtomicReference<OrtEnvironment> created = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread init =
        new Thread(
            null,
            () -> {
              try {
                created.set(OrtEnvironment.getEnvironment());
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "ort-environment-init",
            INIT_STACK_BYTES);
    init.start();
    try {
      init.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the ONNX Runtime environment", e);
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "cannot create the ONNX Runtime environment: " + failure.get(), failure.get());
    }
    return created.get();
  }
}
