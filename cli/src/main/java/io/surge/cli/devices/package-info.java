/**
 * The embedded servers' devices as the command line sets them up: ONNX Runtime on the host CPU or
 * emulated accelerators, and the disturbance grammar of DESIGN.md section 6 ({@code sim/disturb},
 * parsed once) turned into what an emulated device sees ({@link
 * io.surge.serving.engine.DeviceConditions}). {@code serving/} may not depend on {@code sim/}, so
 * the translation lives here.
 */
package io.surge.cli.devices;
