#!/usr/bin/python3
"""Builds the bring-your-own-ONNX test models with onnx.helper (Debian: apt-get install python3-onnx),
outside the product's own exporter. Run it from this folder; the generated .onnx files are committed, so
the tests need no Python. ModelFixtureTests checks the committed files still match what is described here.

  linear_regressor.onnx   the product's tabular convention: per-column inputs x1, x2 (float [N,1]),
                          output value (float [N]) = 2*x1 - 3*x2 + 1, and the serverless.signature metadata
                          (regression of label y).
  tensor_classifier.onnx  a tensor model: input features (float [N,4]), outputs probabilities (float [N,3],
                          softmax of features @ W + b) and class_index (int64 [N]); no signature.
  unsupported_fp16.onnx   input x as float16 [N,2] (a type the product cannot feed), output y = x.
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = [helper.make_opsetid("", 13)]
IR_VERSION = 8
HERE = os.path.dirname(os.path.abspath(__file__))


def save(model, name):
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name))
    print("wrote", name)


def linear_regressor():
    w = numpy_helper.from_array(np.array([[2.0], [-3.0]], dtype=np.float32), "w")
    b = numpy_helper.from_array(np.array([1.0], dtype=np.float32), "b")
    flat = numpy_helper.from_array(np.array([-1], dtype=np.int64), "flat")
    nodes = [
        helper.make_node("Concat", ["x1", "x2"], ["xs"], axis=1),
        helper.make_node("MatMul", ["xs", "w"], ["xw"]),
        helper.make_node("Add", ["xw", "b"], ["column"]),
        helper.make_node("Reshape", ["column", "flat"], ["value"]),
    ]
    graph = helper.make_graph(
        nodes,
        "linear_regressor",
        [helper.make_tensor_value_info("x1", TensorProto.FLOAT, ["N", 1]),
         helper.make_tensor_value_info("x2", TensorProto.FLOAT, ["N", 1])],
        [helper.make_tensor_value_info("value", TensorProto.FLOAT, ["N"])],
        [w, b, flat])
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="make_models.py")
    model.ir_version = IR_VERSION
    signature = {"task": "regression", "label": "y",
                 "inputs": [{"name": "x1", "kind": "numeric"}, {"name": "x2", "kind": "numeric"}]}
    helper.set_model_props(model, {"serverless.signature": json.dumps(signature)})
    save(model, "linear_regressor.onnx")


def tensor_classifier():
    w = numpy_helper.from_array(np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0.5]], dtype=np.float32), "w")
    b = numpy_helper.from_array(np.array([0, 0, 0], dtype=np.float32), "b")
    nodes = [
        helper.make_node("MatMul", ["features", "w"], ["fw"]),
        helper.make_node("Add", ["fw", "b"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
        helper.make_node("ArgMax", ["logits"], ["class_index"], axis=1, keepdims=0),
    ]
    graph = helper.make_graph(
        nodes,
        "tensor_classifier",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 3]),
         helper.make_tensor_value_info("class_index", TensorProto.INT64, ["N"])],
        [w, b])
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="make_models.py")
    model.ir_version = IR_VERSION
    save(model, "tensor_classifier.onnx")


def unsupported_fp16():
    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])],
        "unsupported_fp16",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT16, ["N", 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT16, ["N", 2])])
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="make_models.py")
    model.ir_version = IR_VERSION
    save(model, "unsupported_fp16.onnx")


if __name__ == "__main__":
    linear_regressor()
    tensor_classifier()
    unsupported_fp16()
