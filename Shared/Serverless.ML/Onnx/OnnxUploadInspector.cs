using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using Serverless.ML.Onnx.Proto;

namespace Serverless.ML.Onnx;

/// <summary>
/// Reads an untrusted ONNX model's protobuf, before ONNX Runtime sees it, and names the first thing the product does not
/// load: tensors whose data lives outside the model (<c>data_location = EXTERNAL</c> or <c>external_data</c> entries,
/// which ONNX Runtime would read from files relative to the working directory), operators or opsets of a domain other
/// than <c>""</c>, <c>ai.onnx</c> and <c>ai.onnx.ml</c> (custom operators, model-local functions), and absurd shapes:
/// negative or oversized dimensions, too many elements (declared values, initializers, attribute tensors and the constant
/// shapes of <c>ConstantOfShape</c> and <c>Expand</c>), constant data that disagrees with its dimensions, too many nodes.
/// Subgraphs (<c>If</c>, <c>Loop</c>, <c>Scan</c>), functions and training graphs are walked too.
/// </summary>
public static class OnnxUploadInspector
{
    /// <summary>The operator domains the product accepts.</summary>
    public static IReadOnlySet<string> AllowedDomains { get; } = new HashSet<string>(["", "ai.onnx", "ai.onnx.ml"], StringComparer.Ordinal);

    /// <summary>The problem with <paramref name="onnx"/>, or <c>null</c> when none of the checks objects.</summary>
    public static string? DescribeProblem(byte[] onnx, OnnxUploadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(onnx);
        }
        catch (InvalidProtocolBufferException e)
        {
            return $"not an ONNX model (protobuf: {e.Message})";
        }

        if (model.Graph is null)
        {
            return "the model has no graph";
        }

        var walk = new Walk(limits ?? new OnnxUploadLimits());
        return walk.Model(model);
    }

    private sealed class Walk(OnnxUploadLimits limits)
    {
        private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
        private int _nodes;

        public string? Model(ModelProto model)
        {
            foreach (var opset in model.OpsetImport)
            {
                if (!AllowedDomains.Contains(opset.Domain))
                {
                    return $"opset_import names the custom operator domain '{opset.Domain}'; allowed are {AllowedList}";
                }
            }

            if (model.Functions.FirstOrDefault() is { } function)
            {
                return $"the model defines function '{function.Name}' in domain '{function.Domain}'; custom operators and model-local functions are not accepted (allowed domains: {AllowedList})";
            }

            if (Graph(model.Graph, "graph") is { } problem)
            {
                return problem;
            }

            foreach (var training in model.TrainingInfo)
            {
                if ((Graph(training.Initialization, "training initialization") ?? Graph(training.Algorithm, "training algorithm")) is { } trainingProblem)
                {
                    return trainingProblem;
                }
            }

            return null;
        }

        private string? Graph(GraphProto? graph, string where)
        {
            if (graph is null)
            {
                return null;
            }

            foreach (var tensor in graph.Initializer)
            {
                _constants.TryAdd(tensor.Name, tensor);
                if (Tensor(tensor, $"{where}: initializer '{tensor.Name}'") is { } problem)
                {
                    return problem;
                }
            }

            foreach (var sparse in graph.SparseInitializer)
            {
                if (Sparse(sparse, $"{where}: sparse initializer '{sparse.Values?.Name}'") is { } problem)
                {
                    return problem;
                }
            }

            foreach (var (value, role) in graph.Input.Select(v => (v, "input")).Concat(graph.Output.Select(v => (v, "output"))).Concat(graph.ValueInfo.Select(v => (v, "value"))))
            {
                if (Declared(value, $"{where}: {role} '{value.Name}'") is { } problem)
                {
                    return problem;
                }
            }

            foreach (var node in graph.Node)
            {
                if (Node(node, where) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }

        private string? Node(NodeProto node, string where)
        {
            var name = $"{where}: node '{(node.Name.Length > 0 ? node.Name : node.OpType)}' ({(node.Domain.Length > 0 ? node.Domain + "." : string.Empty)}{node.OpType})";
            if (++_nodes > limits.MaxNodes)
            {
                return $"the model has more than {limits.MaxNodes} nodes";
            }

            if (!AllowedDomains.Contains(node.Domain))
            {
                return $"{name} is a custom operator of domain '{node.Domain}'; allowed domains are {AllowedList}";
            }

            foreach (var attribute in node.Attribute)
            {
                var at = $"{name}, attribute '{attribute.Name}'";
                if (attribute.T is { } tensor && Tensor(tensor, at) is { } tensorProblem)
                {
                    return tensorProblem;
                }

                if (attribute.SparseTensor is { } sparse && Sparse(sparse, at) is { } sparseProblem)
                {
                    return sparseProblem;
                }

                foreach (var problem in attribute.Tensors.Select(t => Tensor(t, at)).Concat(attribute.SparseTensors.Select(s => Sparse(s, at))))
                {
                    if (problem is not null)
                    {
                        return problem;
                    }
                }

                foreach (var subgraph in attribute.Graphs.Prepend(attribute.G))
                {
                    if (Graph(subgraph, at) is { } problem)
                    {
                        return problem;
                    }
                }
            }

            if (node.OpType == "Constant" && node.Domain.Length == 0 && node.Output.Count == 1 && node.Attribute.FirstOrDefault(a => a.Name == "value")?.T is { } value)
            {
                _constants.TryAdd(node.Output[0], value);
            }

            return ConstantShape(node, name);
        }

        /// <summary>The shape a <c>ConstantOfShape</c> or <c>Expand</c> builds, when it is a constant: bounded like any tensor.</summary>
        private string? ConstantShape(NodeProto node, string name)
        {
            var shapeInput = (node.Domain, node.OpType) switch
            {
                ("" or "ai.onnx", "ConstantOfShape") => 0,
                ("" or "ai.onnx", "Expand") => 1,
                _ => -1,
            };
            if (shapeInput < 0 || node.Input.Count <= shapeInput || !_constants.TryGetValue(node.Input[shapeInput], out var shape))
            {
                return null;
            }

            var dims = Int64Values(shape);
            return dims is null ? null : Elements(dims, $"{name} builds a tensor of shape [{string.Join(",", dims)}], which");
        }

        private string? Sparse(SparseTensorProto sparse, string at) =>
            Tensor(sparse.Values, at + " (values)") ?? Tensor(sparse.Indices, at + " (indices)") ?? Elements([.. sparse.Dims], at + " declares dimensions that");

        private string? Tensor(TensorProto? tensor, string at)
        {
            if (tensor is null)
            {
                return null;
            }

            if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
            {
                var location = tensor.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value;
                return $"{at} keeps its data outside the model{(location is null ? string.Empty : $" (location '{location}')")}; external data is not accepted, embed the tensors in the .onnx file";
            }

            if (Elements([.. tensor.Dims], at + " has dimensions that") is { } problem)
            {
                return problem;
            }

            var elements = tensor.Dims.Aggregate(1L, (n, d) => n * d);
            var size = ElementSize(tensor.DataType);
            var complex = tensor.DataType is 14 or 15;
            var carried = tensor.RawData.Length > 0
                ? (size > 0 ? tensor.RawData.Length / size : elements)
                : tensor.FloatData.Count + tensor.Int32Data.Count + tensor.Int64Data.Count + tensor.DoubleData.Count + tensor.Uint64Data.Count + tensor.StringData.Count;
            if ((tensor.RawData.Length > 0 && size > 0 && tensor.RawData.Length % size != 0) || (carried != elements && !(complex && carried == 2 * elements)))
            {
                return $"{at} declares {elements} elements of shape [{string.Join(",", tensor.Dims)}] but carries {(tensor.RawData.Length > 0 ? $"{tensor.RawData.Length} bytes" : $"{carried} values")}";
            }

            return null;
        }

        private string? Declared(ValueInfoProto value, string at)
        {
            if (value.Type?.TensorType?.Shape is not { } shape)
            {
                return null;
            }

            if (shape.Dim.Count > limits.MaxRank)
            {
                return $"{at} has rank {shape.Dim.Count}; the limit is {limits.MaxRank}";
            }

            var fixedDims = shape.Dim.Where(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue).Select(d => d.DimValue).ToList();
            return Elements(fixedDims, $"{at} declares a shape [{string.Join(",", shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture) : d.DimParam))}] that");
        }

        /// <summary>Negative dimensions, too high a rank or too many elements, named after <paramref name="what"/>.</summary>
        private string? Elements(IReadOnlyList<long> dims, string what)
        {
            if (dims.Count > limits.MaxRank)
            {
                return $"{what} has rank {dims.Count}; the limit is {limits.MaxRank}";
            }

            var elements = 1L;
            foreach (var dim in dims)
            {
                if (dim < 0)
                {
                    return $"{what} include the negative dimension {dim}";
                }

                if (dim > 0 && elements > limits.MaxTensorElements / dim)
                {
                    return $"{what} exceed the limit of {limits.MaxTensorElements} elements per tensor";
                }

                elements *= dim;
            }

            return elements > limits.MaxTensorElements ? $"{what} exceed the limit of {limits.MaxTensorElements} elements per tensor" : null;
        }

        private static long[]? Int64Values(TensorProto tensor)
        {
            if (tensor.DataType != (int)TensorProto.Types.DataType.Int64)
            {
                return null;
            }

            if (tensor.Int64Data.Count > 0)
            {
                return [.. tensor.Int64Data];
            }

            var raw = tensor.RawData.Span;
            var values = new long[raw.Length / 8];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadInt64LittleEndian(raw[(i * 8)..]);
            }

            return values;
        }

        /// <summary>Bytes per element in raw_data; 0 for strings and types whose packing is not one element per whole byte count.</summary>
        private static int ElementSize(int dataType) => dataType switch
        {
            1 or 6 or 12 => 4, // float, int32, uint32
            2 or 3 or 9 => 1, // uint8, int8, bool
            4 or 5 or 10 or 16 => 2, // uint16, int16, float16, bfloat16
            7 or 11 or 13 or 14 => 8, // int64, double, uint64, complex64
            15 => 16, // complex128
            17 or 18 or 19 or 20 => 1, // float8 variants
            _ => 0,
        };

        private static string AllowedList => "'' (ai.onnx), 'ai.onnx' and 'ai.onnx.ml'";
    }
}
