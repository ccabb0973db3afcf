using Google.Protobuf;
using Serverless.ML.Export;
using Serverless.ML.Onnx;
using Serverless.ML.Onnx.Proto;
using Serverless.ML.Training;
using Serverless.Onnx;
using Xunit;

namespace Serverless.ML.Tests;

/// <summary>
/// Crafted ONNX models, built here as protobuf, that must not reach ONNX Runtime: external data (files relative to the
/// host's working directory, or absolute), custom operator domains, absurd shapes. A plain model and the product's own
/// export pass, and ONNX Runtime loads them.
/// </summary>
public sealed class OnnxUploadInspectorTests
{
    [Fact]
    public void A_plain_model_passes_and_loads()
    {
        var onnx = Plain().ToByteArray();

        Assert.Null(OnnxUploadInspector.DescribeProblem(onnx));
        using var model = OnnxModel.Load(onnx, OnnxModelOptions.Untrusted);
        Assert.Equal("x", Assert.Single(model.Inputs).Name);
    }

    [Fact]
    public void The_products_own_export_passes()
    {
        var data = Datasets.Load("pima2");
        var candidate = CandidateTrainer.Train(data.Train, data.Validation, data.Setup(), Candidates.Small("linear"), CancellationToken.None);

        Assert.Null(OnnxUploadInspector.DescribeProblem(OnnxModelExporter.Export(candidate, candidate.Signature)));
    }

    [Theory]
    [InlineData("/etc/passwd", true)]
    [InlineData("../secret", false)]
    public void An_initializer_with_external_data_is_refused_naming_its_location(string location, bool flagged)
    {
        var model = Plain();
        var weights = model.Graph.Initializer[0];
        weights.RawData = ByteString.Empty;
        weights.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        weights.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = "8" });
        if (flagged)
        {
            weights.DataLocation = TensorProto.Types.DataLocation.External;
        }

        var problem = OnnxUploadInspector.DescribeProblem(model.ToByteArray());

        Assert.Equal($"graph: initializer 'w' keeps its data outside the model (location '{location}'); external data is not accepted, embed the tensors in the .onnx file", problem);
    }

    [Fact]
    public void External_data_hidden_in_a_constant_inside_a_subgraph_is_refused()
    {
        var model = Plain();
        var branch = new GraphProto { Name = "then" };
        var constant = new NodeProto { OpType = "Constant", Name = "c" };
        constant.Output.Add("c_out");
        var value = new TensorProto { Name = "c_value", DataType = 1, DataLocation = TensorProto.Types.DataLocation.External };
        value.Dims.Add(2);
        value.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "../../secret.bin" });
        constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = value });
        branch.Node.Add(constant);
        var branching = new NodeProto { OpType = "If", Name = "if" };
        branching.Input.Add("cond");
        branching.Output.Add("branch_out");
        branching.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = branch });
        model.Graph.Node.Add(branching);

        var problem = OnnxUploadInspector.DescribeProblem(model.ToByteArray());

        Assert.NotNull(problem);
        Assert.Contains("attribute 'then_branch': node 'c' (Constant), attribute 'value' keeps its data outside the model (location '../../secret.bin')", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_operator_domain_is_refused()
    {
        var model = Plain();
        var node = new NodeProto { OpType = "ReadFile", Domain = "com.evil", Name = "evil" };
        node.Input.Add("x");
        node.Output.Add("z");
        model.Graph.Node.Add(node);

        Assert.Equal(
            "graph: node 'evil' (com.evil.ReadFile) is a custom operator of domain 'com.evil'; allowed domains are '' (ai.onnx), 'ai.onnx' and 'ai.onnx.ml'",
            OnnxUploadInspector.DescribeProblem(model.ToByteArray()));
    }

    [Fact]
    public void A_custom_opset_import_and_a_model_local_function_are_refused()
    {
        var imported = Plain();
        imported.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        var function = Plain();
        function.Functions.Add(new FunctionProto { Name = "Helper", Domain = "local" });

        Assert.StartsWith("opset_import names the custom operator domain 'com.microsoft'", OnnxUploadInspector.DescribeProblem(imported.ToByteArray()), StringComparison.Ordinal);
        Assert.StartsWith("the model defines function 'Helper' in domain 'local'", OnnxUploadInspector.DescribeProblem(function.ToByteArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_constant_shape_that_would_allocate_terabytes_is_refused()
    {
        var model = Plain();
        var shape = new TensorProto { Name = "huge_shape", DataType = 7 };
        shape.Dims.Add(3);
        shape.Int64Data.Add([100_000, 100_000, 100]);
        model.Graph.Initializer.Add(shape);
        var node = new NodeProto { OpType = "ConstantOfShape", Name = "fill" };
        node.Input.Add("huge_shape");
        node.Output.Add("filled");
        model.Graph.Node.Add(node);

        Assert.Equal(
            "graph: node 'fill' (ConstantOfShape) builds a tensor of shape [100000,100000,100], which exceed the limit of 100000000 elements per tensor",
            OnnxUploadInspector.DescribeProblem(model.ToByteArray()));
    }

    [Fact]
    public void Absurd_declared_shapes_and_initializers_are_refused()
    {
        var negative = Plain();
        negative.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = -5;
        var huge = Plain();
        huge.Graph.Output[0].Type.TensorType.Shape.Dim[1].DimValue = 1L << 40;
        var lying = Plain();
        lying.Graph.Initializer[0].Dims[0] = 1000;
        var deep = Plain();
        for (var i = 0; i < 40; i++)
        {
            deep.Graph.Input[0].Type.TensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
        }

        Assert.Equal("graph: input 'x' declares a shape [N,-5] that include the negative dimension -5", OnnxUploadInspector.DescribeProblem(negative.ToByteArray()));
        Assert.Equal("graph: output 'y' declares a shape [N,1099511627776] that exceed the limit of 100000000 elements per tensor", OnnxUploadInspector.DescribeProblem(huge.ToByteArray()));
        Assert.Equal("graph: initializer 'w' declares 1000 elements of shape [1000] but carries 8 bytes", OnnxUploadInspector.DescribeProblem(lying.ToByteArray()));
        Assert.Equal("graph: input 'x' has rank 42; the limit is 32", OnnxUploadInspector.DescribeProblem(deep.ToByteArray()));
        Assert.StartsWith("the model has more than 1 nodes", OnnxUploadInspector.DescribeProblem(TwoNodes().ToByteArray(), new OnnxUploadLimits { MaxNodes = 1 }), StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_protobuf_are_refused()
    {
        Assert.StartsWith("not an ONNX model (protobuf:", OnnxUploadInspector.DescribeProblem("definitely not protobuf"u8.ToArray()), StringComparison.Ordinal);
    }

    /// <summary>y = x * w, x float [N, 2], w an initializer of two floats.</summary>
    private static ModelProto Plain()
    {
        var graph = new GraphProto { Name = "plain" };
        graph.Input.Add(Value("x"));
        graph.Output.Add(Value("y"));
        var weights = new TensorProto { Name = "w", DataType = 1, RawData = ByteString.CopyFrom(BitConverter.GetBytes(2f).Concat(BitConverter.GetBytes(3f)).ToArray()) };
        weights.Dims.Add(2);
        graph.Initializer.Add(weights);
        var multiply = new NodeProto { OpType = "Mul", Name = "mul" };
        multiply.Input.Add(["x", "w"]);
        multiply.Output.Add("y");
        graph.Node.Add(multiply);
        var model = new ModelProto { IrVersion = 8, ProducerName = "test", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        return model;
    }

    private static ModelProto TwoNodes()
    {
        var model = Plain();
        var identity = new NodeProto { OpType = "Identity", Name = "id" };
        identity.Input.Add("y");
        identity.Output.Add("y2");
        model.Graph.Node.Add(identity);
        return model;
    }

    private static ValueInfoProto Value(string name)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 2 });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }
}
