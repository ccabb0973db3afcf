using Google.Protobuf;
using Serverless.ML.Onnx.Proto;

namespace Serverless.ML.Export;

/// <summary>Builds an ONNX graph node by node: constants become initializers, every node gets a fresh output name.</summary>
internal sealed class OnnxGraphBuilder
{
    public const string MlDomain = "ai.onnx.ml";
    private const string BatchDimension = "N";
    private int _counter;

    public GraphProto Graph { get; } = new() { Name = "serverless" };

    public void AddInput(string name, TensorProto.Types.DataType type) => Graph.Input.Add(ValueInfo(name, type, [null, 1]));

    public void AddOutput(string name, TensorProto.Types.DataType type, params long?[] dims) => Graph.Output.Add(ValueInfo(name, type, dims));

    public string Floats(string hint, float[] values, params long[] dims) =>
        AddInitializer(hint, TensorProto.Types.DataType.Float, dims, t => t.FloatData.Add(values));

    public string Int64s(string hint, long[] values, params long[] dims) =>
        AddInitializer(hint, TensorProto.Types.DataType.Int64, dims, t => t.Int64Data.Add(values));

    public string Strings(string hint, IReadOnlyList<string> values) =>
        AddInitializer(hint, TensorProto.Types.DataType.String, [values.Count], t => t.StringData.Add(values.Select(ByteString.CopyFromUtf8)));

    /// <summary>Adds a node with one output and returns the output's name (or <paramref name="output"/> when given).</summary>
    public string Node(string opType, IEnumerable<string> inputs, IEnumerable<AttributeProto>? attributes = null, string? domain = null, string? output = null)
    {
        var name = output ?? Fresh(opType);
        var node = new NodeProto { OpType = opType, Name = Fresh(opType + "_node"), Domain = domain ?? string.Empty };
        node.Input.Add(inputs);
        node.Output.Add(name);
        if (attributes is not null)
        {
            node.Attribute.Add(attributes);
        }

        Graph.Node.Add(node);
        if (node.Domain == MlDomain)
        {
            DeclareType(name, TensorProto.Types.DataType.Float);
        }

        return name;
    }

    /// <summary>
    /// Declares an intermediate tensor's element type (shape left open). The ai.onnx.ml operators the product uses all
    /// output float, and ONNX's shape inference (as in onnx.checker's full check) has no type function for several of them.
    /// </summary>
    public void DeclareType(string name, TensorProto.Types.DataType type) =>
        Graph.ValueInfo.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type } } });

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Text(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    public static AttributeProto FloatList(string name, IEnumerable<float> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.Add(values);
        return attribute;
    }

    public static AttributeProto Texts(string name, IEnumerable<string> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.Add(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    private string Fresh(string hint) => $"{hint}_{_counter++}";

    private string AddInitializer(string hint, TensorProto.Types.DataType type, long[] dims, Action<TensorProto> fill)
    {
        var tensor = new TensorProto { Name = Fresh(hint), DataType = (int)type };
        tensor.Dims.Add(dims);
        fill(tensor);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim is { } value ? new TensorShapeProto.Types.Dimension { DimValue = value } : new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
