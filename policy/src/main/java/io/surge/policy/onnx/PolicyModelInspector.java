package io.surge.policy.onnx;

import static io.surge.policy.onnx.PolicyRejectedException.Reason.CUSTOM_OPERATOR;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.EXTERNAL_DATA;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.SparseTensorProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.HashMap;
import java.util.Map;

/**
 * Static checks of an untrusted policy model's protobuf, before ONNX Runtime sees it: no tensor may
 * point at external data (ORT would read files next to the process), and only the standard ONNX
 * operator domain may be used (no custom operators or functions), in the main graph and in every
 * subgraph.
 */
final class PolicyModelInspector {

  private PolicyModelInspector() {}

  static void checkSafe(ModelProto model) throws PolicyRejectedException {
    for (OperatorSetIdProto opset : model.getOpsetImportList()) {
      checkDomain(opset.getDomain(), "operator set import");
    }
    if (model.getFunctionsCount() > 0) {
      throw new PolicyRejectedException(
          CUSTOM_OPERATOR,
          "model-local functions are not allowed: " + model.getFunctions(0).getName());
    }
    checkGraph(model.getGraph());
  }

  static Map<String, String> metadata(ModelProto model) {
    Map<String, String> map = new HashMap<>();
    for (StringStringEntryProto e : model.getMetadataPropsList()) {
      map.put(e.getKey(), e.getValue());
    }
    return map;
  }

  private static void checkGraph(GraphProto graph) throws PolicyRejectedException {
    for (TensorProto t : graph.getInitializerList()) {
      checkTensor(t);
    }
    for (SparseTensorProto t : graph.getSparseInitializerList()) {
      checkTensor(t.getValues());
      checkTensor(t.getIndices());
    }
    for (NodeProto node : graph.getNodeList()) {
      checkDomain(node.getDomain(), "node '" + node.getName() + "' (" + node.getOpType() + ")");
      for (AttributeProto a : node.getAttributeList()) {
        checkAttribute(a);
      }
    }
  }

  private static void checkAttribute(AttributeProto a) throws PolicyRejectedException {
    if (a.hasT()) {
      checkTensor(a.getT());
    }
    for (TensorProto t : a.getTensorsList()) {
      checkTensor(t);
    }
    if (a.hasSparseTensor()) {
      checkTensor(a.getSparseTensor().getValues());
    }
    if (a.hasG()) {
      checkGraph(a.getG());
    }
    for (GraphProto g : a.getGraphsList()) {
      checkGraph(g);
    }
  }

  private static void checkTensor(TensorProto t) throws PolicyRejectedException {
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
      throw new PolicyRejectedException(
          EXTERNAL_DATA, "tensor '" + t.getName() + "' refers to external data");
    }
  }

  private static void checkDomain(String domain, String where) throws PolicyRejectedException {
    if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
      throw new PolicyRejectedException(
          CUSTOM_OPERATOR, where + " uses the non-standard domain '" + domain + "'");
    }
  }
}
