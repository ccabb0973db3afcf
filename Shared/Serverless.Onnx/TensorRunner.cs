using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Serverless.Onnx;

/// <summary>Runs a graph on named tensors: validates names, types and sizes, then copies the outputs out of native memory.</summary>
internal static class TensorRunner
{
    public static IReadOnlyList<NamedTensor> Run(
        InferenceSession session,
        RunOptions runOptions,
        IReadOnlyDictionary<string, TensorInfo> graphInputs,
        IReadOnlyDictionary<string, TensorInfo> graphOutputs,
        IReadOnlyList<TensorInfo> allOutputs,
        IReadOnlyList<NamedTensor> inputs,
        IReadOnlyCollection<string>? outputNames)
    {
        Validate(graphInputs, inputs);
        var names = ResolveOutputs(graphOutputs, allOutputs, outputNames);
        var values = new List<OrtValue>(inputs.Count);
        try
        {
            foreach (var input in inputs)
            {
                values.Add(CreateValue(input));
            }

            using var outputs = session.Run(runOptions, inputs.Select(i => i.Name).ToArray(), values, names);
            var result = new NamedTensor[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                result[i] = Read(names[i], outputs[i]);
            }

            return result;
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxModelException($"The model could not run on these inputs: {e.Message}", e);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    private static void Validate(IReadOnlyDictionary<string, TensorInfo> graphInputs, IReadOnlyList<NamedTensor> inputs)
    {
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            if (!graphInputs.TryGetValue(input.Name, out var info))
            {
                throw new OnnxModelException($"The model has no input '{input.Name}' (it has: {string.Join(", ", graphInputs.Keys)}).");
            }

            if (!given.Add(input.Name))
            {
                throw new OnnxModelException($"The input '{input.Name}' is given twice.");
            }

            if (input.ElementKind != info.ElementKind)
            {
                throw new OnnxModelException($"The input '{input.Name}' is {input.ElementKind}; the model expects {info.ElementKind}.");
            }

            if (input.Shape.Any(d => d < 0) || input.ElementCount != input.Data.Length)
            {
                throw new OnnxModelException($"The input '{input.Name}' has shape [{string.Join(",", input.Shape)}] but {input.Data.Length} values.");
            }

            if (info.Shape.Count != input.Shape.Length
                || info.Shape.Where((dim, i) => dim >= 0 && dim != input.Shape[i]).Any())
            {
                throw new OnnxModelException($"The input '{input.Name}' has shape [{string.Join(",", input.Shape)}]; the model expects [{string.Join(",", info.Shape)}] (-1 = any).");
            }
        }

        var missing = graphInputs.Keys.Where(name => !given.Contains(name)).ToList();
        if (missing.Count > 0)
        {
            throw new OnnxModelException($"The model input '{missing[0]}' is missing.");
        }
    }

    private static string[] ResolveOutputs(IReadOnlyDictionary<string, TensorInfo> graphOutputs, IReadOnlyList<TensorInfo> allOutputs, IReadOnlyCollection<string>? requested)
    {
        if (requested is null || requested.Count == 0)
        {
            return allOutputs.Where(o => o.IsTensor).Select(o => o.Name).ToArray();
        }

        foreach (var name in requested)
        {
            if (!graphOutputs.TryGetValue(name, out var info))
            {
                throw new OnnxModelException($"The model has no output '{name}' (it has: {string.Join(", ", graphOutputs.Keys)}).");
            }

            if (!info.IsTensor)
            {
                throw new OnnxModelException($"The output '{name}' is not a tensor.");
            }
        }

        return requested.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static OrtValue CreateValue(NamedTensor tensor) => tensor.Data switch
    {
        float[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
        double[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
        long[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
        int[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
        short[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
        sbyte[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
        byte[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
        ushort[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
        uint[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
        ulong[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
        bool[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
        string[] a => CreateStrings(a, tensor.Shape),
        _ => throw new OnnxModelException($"The input '{tensor.Name}' has an unsupported element type {tensor.Data.GetType().Name}."),
    };

    private static OrtValue CreateStrings(string[] data, long[] shape)
    {
        var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
        for (var i = 0; i < data.Length; i++)
        {
            value.StringTensorSetElementAt((data[i] ?? string.Empty).AsSpan(), i);
        }

        return value;
    }

    private static NamedTensor Read(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        Array data = info.ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Double => value.GetTensorDataAsSpan<double>().ToArray(),
            TensorElementType.Int64 => value.GetTensorDataAsSpan<long>().ToArray(),
            TensorElementType.Int32 => value.GetTensorDataAsSpan<int>().ToArray(),
            TensorElementType.Int16 => value.GetTensorDataAsSpan<short>().ToArray(),
            TensorElementType.Int8 => value.GetTensorDataAsSpan<sbyte>().ToArray(),
            TensorElementType.UInt8 => value.GetTensorDataAsSpan<byte>().ToArray(),
            TensorElementType.UInt16 => value.GetTensorDataAsSpan<ushort>().ToArray(),
            TensorElementType.UInt32 => value.GetTensorDataAsSpan<uint>().ToArray(),
            TensorElementType.UInt64 => value.GetTensorDataAsSpan<ulong>().ToArray(),
            TensorElementType.Bool => value.GetTensorDataAsSpan<bool>().ToArray(),
            TensorElementType.String => value.GetStringTensorAsArray(),
            var other => throw new OnnxModelException($"The output '{name}' has an unsupported element type {other}."),
        };
        return new NamedTensor(name, info.Shape, data);
    }
}
