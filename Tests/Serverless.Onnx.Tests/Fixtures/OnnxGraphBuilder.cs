namespace Serverless.Onnx.Tests.Fixtures;

/// <summary>
/// Builds a small ONNX model as protobuf bytes, with field numbers from onnx/onnx.proto
/// (ModelProto, GraphProto, NodeProto, AttributeProto, ValueInfoProto, TensorProto). Dimension -1 is symbolic ("N").
/// </summary>
public sealed class OnnxGraphBuilder
{
    public const int Float = 1;
    public const int Int64 = 7;
    public const int Text = 8;

    private readonly ProtoWriter _graph = new ProtoWriter().String(2, "test-graph");
    private readonly Dictionary<string, string> _metadata = [];

    public OnnxGraphBuilder Input(string name, int elementType, params long[] dims)
    {
        _graph.Message(11, ValueInfo(name, elementType, dims));
        return this;
    }

    public OnnxGraphBuilder Output(string name, int elementType, params long[] dims)
    {
        _graph.Message(12, ValueInfo(name, elementType, dims));
        return this;
    }

    public OnnxGraphBuilder Node(string opType, string[] inputs, string[] outputs, string domain = "", params ProtoWriter[] attributes)
    {
        var node = new ProtoWriter();
        foreach (var input in inputs)
        {
            node.String(1, input);
        }

        foreach (var output in outputs)
        {
            node.String(2, output);
        }

        node.String(3, opType + "_" + outputs[0]).String(4, opType);
        foreach (var attribute in attributes)
        {
            node.Message(5, attribute);
        }

        if (domain.Length > 0)
        {
            node.String(7, domain);
        }

        _graph.Message(1, node);
        return this;
    }

    public OnnxGraphBuilder FloatInitializer(string name, float[] values, params long[] dims)
    {
        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        _graph.Message(5, Tensor(name, Float, dims).Bytes(9, raw));
        return this;
    }

    public OnnxGraphBuilder Int64Initializer(string name, long[] values, params long[] dims)
    {
        var raw = new byte[values.Length * 8];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        _graph.Message(5, Tensor(name, Int64, dims).Bytes(9, raw));
        return this;
    }

    public OnnxGraphBuilder Metadata(string key, string value)
    {
        _metadata[key] = value;
        return this;
    }

    public byte[] Build()
    {
        var model = new ProtoWriter()
            .Int64(1, 8)
            .String(2, "serverless-tests")
            .Message(7, _graph)
            .Message(8, new ProtoWriter().String(1, "").Int64(2, 13))
            .Message(8, new ProtoWriter().String(1, "ai.onnx.ml").Int64(2, 2));
        foreach (var (key, value) in _metadata)
        {
            model.Message(14, new ProtoWriter().String(1, key).String(2, value));
        }

        return model.ToArray();
    }

    public static ProtoWriter IntAttribute(string name, long value) => new ProtoWriter().String(1, name).Int64(3, value).Int64(20, 2);

    public static ProtoWriter FloatAttribute(string name, float value) => new ProtoWriter().String(1, name).Float(2, value).Int64(20, 1);

    public static ProtoWriter StringAttribute(string name, string value) =>
        new ProtoWriter().String(1, name).Bytes(4, System.Text.Encoding.UTF8.GetBytes(value)).Int64(20, 3);

    public static ProtoWriter FloatsAttribute(string name, params float[] values)
    {
        var attribute = new ProtoWriter().String(1, name);
        foreach (var value in values)
        {
            attribute.Float(7, value);
        }

        return attribute.Int64(20, 6);
    }

    public static ProtoWriter IntsAttribute(string name, params long[] values)
    {
        var attribute = new ProtoWriter().String(1, name);
        foreach (var value in values)
        {
            attribute.Int64(8, value);
        }

        return attribute.Int64(20, 7);
    }

    public static ProtoWriter StringsAttribute(string name, params string[] values)
    {
        var attribute = new ProtoWriter().String(1, name);
        foreach (var value in values)
        {
            attribute.Bytes(9, System.Text.Encoding.UTF8.GetBytes(value));
        }

        return attribute.Int64(20, 8);
    }

    private static ProtoWriter Tensor(string name, int elementType, long[] dims)
    {
        var tensor = new ProtoWriter();
        foreach (var dim in dims)
        {
            tensor.Int64(1, dim);
        }

        return tensor.Int64(2, elementType).String(8, name);
    }

    private static ProtoWriter ValueInfo(string name, int elementType, long[] dims)
    {
        var shape = new ProtoWriter();
        foreach (var dim in dims)
        {
            shape.Message(1, dim < 0 ? new ProtoWriter().String(2, "N") : new ProtoWriter().Int64(1, dim));
        }

        var tensorType = new ProtoWriter().Int64(1, elementType).Message(2, shape);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensorType));
    }
}
