using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;

namespace Serverless.Onnx;

/// <summary>Turns frame columns into the signature's input tensors and the signature's outputs into <see cref="ModelPredictions"/>.</summary>
internal sealed class SignatureScorer : IDisposable
{
    private readonly ModelSignature _signature;
    private readonly InputPlan[] _inputs;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly bool _hasLabel;
    private readonly bool _hasProbabilities;

    // The output element types come from the graph's metadata once, not from each call's outputs.
    private readonly bool _valueIsDouble;
    private readonly TensorElementKind _labelKind;

    // Single-row numeric input tensors, one set per thread (never shared between concurrent calls), refilled in place
    // each call instead of one native allocation per feature per request; disposed with the model. Each is a tensor over
    // a pinned managed float[1], written directly: asking ONNX Runtime for a tensor's data span costs several native
    // calls (type and count checks), which per feature per request was 5 % of the host's busy time.
    private readonly ThreadLocal<OneRowTensor?[]> _oneRowTensors;

    public SignatureScorer(ModelSignature signature, IReadOnlyDictionary<string, TensorInfo> graphInputs, IReadOnlyDictionary<string, TensorInfo> graphOutputs)
    {
        _signature = signature;
        _inputs = signature.Inputs.Select(input => Plan(input, graphInputs)).ToArray();
        _inputNames = _inputs.Select(i => i.Name).ToArray();
        _oneRowTensors = new ThreadLocal<OneRowTensor?[]>(() => _inputs.Select(i => i.IsText ? null : i.OneRow()).ToArray(), trackAllValues: true);
        if (signature.Task == TaskKind.Regression)
        {
            Require(graphOutputs, ModelSignature.ValueOutput, TensorElementKind.Float, TensorElementKind.Double);
            _valueIsDouble = graphOutputs[ModelSignature.ValueOutput].ElementKind == TensorElementKind.Double;
            _outputNames = [ModelSignature.ValueOutput];
            return;
        }

        _hasLabel = graphOutputs.TryGetValue(ModelSignature.LabelOutput, out var label);
        _labelKind = label?.ElementKind ?? TensorElementKind.Other;
        _hasProbabilities = graphOutputs.ContainsKey(ModelSignature.ProbabilitiesOutput);
        if (_hasProbabilities)
        {
            Require(graphOutputs, ModelSignature.ProbabilitiesOutput, TensorElementKind.Float);
        }

        if (!_hasLabel && !(_hasProbabilities && signature.Classes is { Count: > 0 }))
        {
            throw new OnnxModelException($"The classification model has no '{ModelSignature.LabelOutput}' output (nor '{ModelSignature.ProbabilitiesOutput}' with classes to derive it).");
        }

        _outputNames = new[] { _hasLabel ? ModelSignature.LabelOutput : null, _hasProbabilities ? ModelSignature.ProbabilitiesOutput : null }
            .OfType<string>().ToArray();
    }

    public ModelPredictions Score(InferenceSession session, RunOptions runOptions, TabularFrame frame)
    {
        var rows = frame.RowCount;
        var values = new OrtValue[_inputs.Length];
        var reused = rows == 1 ? _oneRowTensors.Value! : null;
        try
        {
            for (var i = 0; i < _inputs.Length; i++)
            {
                var input = _inputs[i];
                if (!frame.Contains(input.Name))
                {
                    throw new OnnxModelException($"The frame has no column '{input.Name}', which the model needs.");
                }

                var column = frame[input.Name];
                if (reused?[i] is { } oneRow)
                {
                    values[i] = oneRow.Tensor;
                    InputPlan.FillFloats(oneRow.Data, column, rows);
                }
                else
                {
                    values[i] = input.CreateTensor(column, rows);
                }
            }

            using var outputs = session.Run(runOptions, _inputNames, values, _outputNames);
            return _signature.Task == TaskKind.Regression ? Regression(outputs[0]) : Classification(outputs, rows);
        }
        catch (OnnxRuntimeException e)
        {
            // A graph that loads can still fail on rows (an uploaded model's reshape, say): the caller's error, not a crash.
            throw new OnnxModelException($"The model could not run on these rows: {e.Message}", e);
        }
        finally
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (reused?[i] is null)
                {
                    values[i]?.Dispose();
                }
            }
        }
    }

    /// <summary>Frees every thread's single-row tensors; only when no call is in flight (the model's rule).</summary>
    public void Dispose()
    {
        foreach (var tensors in _oneRowTensors.Values)
        {
            foreach (var tensor in tensors)
            {
                tensor?.Tensor.Dispose();
            }
        }

        _oneRowTensors.Dispose();
    }

    private ModelPredictions Regression(OrtValue value) =>
        new(TaskKind.Regression, null, null, null, _valueIsDouble ? ReadDoublesAsFloats(value) : ReadFloats(value));

    private ModelPredictions Classification(IReadOnlyList<OrtValue> outputs, int rows)
    {
        var index = 0;
        var labels = _hasLabel ? ReadLabels(outputs[index++]) : null;
        var probabilities = _hasProbabilities ? ReadFloats(outputs[index]) : null; // Require made it Float.
        var classes = _signature.Classes;
        if (labels is null && probabilities is not null && classes is { Count: > 0 })
        {
            labels = new string[rows];
            for (var row = 0; row < rows; row++)
            {
                var span = probabilities.AsSpan(row * classes.Count, classes.Count);
                var best = 0;
                for (var c = 1; c < span.Length; c++)
                {
                    best = span[c] > span[best] ? c : best;
                }

                labels[row] = classes[best];
            }
        }

        return new ModelPredictions(_signature.Task, classes, labels, probabilities, null);
    }

    private static float[] ReadFloats(OrtValue value) => value.GetTensorDataAsSpan<float>().ToArray();

    private static float[] ReadDoublesAsFloats(OrtValue value)
    {
        var source = value.GetTensorDataAsSpan<double>();
        var result = new float[source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            result[i] = (float)source[i];
        }

        return result;
    }

    private string[] ReadLabels(OrtValue value) => _labelKind switch
    {
        TensorElementKind.String => value.GetStringTensorAsArray(),
        TensorElementKind.Int64 => Format(value.GetTensorDataAsSpan<long>(), v => v.ToString(CultureInfo.InvariantCulture)),
        TensorElementKind.Int32 => Format(value.GetTensorDataAsSpan<int>(), v => v.ToString(CultureInfo.InvariantCulture)),
        TensorElementKind.Bool => Format(value.GetTensorDataAsSpan<bool>(), v => v ? "true" : "false"),
        var other => throw new OnnxModelException($"The '{ModelSignature.LabelOutput}' output is {other}; expected strings."),
    };

    private static string[] Format<T>(ReadOnlySpan<T> source, Func<T, string> format)
    {
        var result = new string[source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            result[i] = format(source[i]);
        }

        return result;
    }

    private static void Require(IReadOnlyDictionary<string, TensorInfo> outputs, string name, params TensorElementKind[] kinds)
    {
        if (!outputs.TryGetValue(name, out var info))
        {
            throw new OnnxModelException($"The model has no '{name}' output, which its signature requires.");
        }

        if (!kinds.Contains(info.ElementKind))
        {
            throw new OnnxModelException($"The '{name}' output is {info.ElementKind}; expected {string.Join(" or ", kinds)}.");
        }
    }

    private static InputPlan Plan(SignatureInput input, IReadOnlyDictionary<string, TensorInfo> graphInputs)
    {
        if (!graphInputs.TryGetValue(input.Name, out var info))
        {
            throw new OnnxModelException($"The signature input '{input.Name}' is not an input of the graph.");
        }

        var expected = input.Kind == ColumnKind.Categorical ? TensorElementKind.String : TensorElementKind.Float;
        if (info.ElementKind != expected)
        {
            throw new OnnxModelException($"The graph input '{input.Name}' is {info.ElementKind}; a {input.Kind} input must be {expected}.");
        }

        return new InputPlan(input.Name, expected == TensorElementKind.String, info.Shape.Count == 1);
    }

    /// <summary>How one signature input becomes a tensor: [N,1] (or [N] when the graph says so).</summary>
    private sealed record InputPlan(string Name, bool IsText, bool IsVector)
    {
        // The single-row shape, shared by every call (ONNX Runtime copies the shape into the tensor).
        private readonly long[] _oneRow = IsVector ? [1] : [1, 1];

        private long[] Shape(int rows) => rows == 1 ? _oneRow : IsVector ? [rows] : [rows, 1];

        /// <summary>A tensor in ONNX Runtime's own memory, filled in place (no managed array to allocate and pin).</summary>
        public OrtValue CreateTensor(FrameColumn column, int rows)
        {
            if (!IsText)
            {
                var tensor = AllocateFloats(rows);
                FillFloats(tensor.GetTensorMutableDataAsSpan<float>(), column, rows);
                return tensor;
            }

            var strings = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, Shape(rows));
            for (var row = 0; row < rows; row++)
            {
                if (!column.IsMissing(row))
                {
                    strings.StringTensorSetElementAt(column.Format(row).AsSpan(), row);
                }
            }

            return strings;
        }

        public OrtValue AllocateFloats(int rows) =>
            OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, Shape(rows));

        /// <summary>A one-row float tensor over a managed array (pinned while the tensor lives), written without native calls.</summary>
        public OneRowTensor OneRow()
        {
            var data = new float[1];
            return new OneRowTensor(OrtValue.CreateTensorValueFromMemory(data, Shape(1)), data);
        }

        /// <summary>Writes every one of the column's first <paramref name="rows"/> values (NaN for missing), so a reused tensor keeps nothing of its last call.</summary>
        public static void FillFloats(Span<float> floats, FrameColumn column, int rows)
        {
            if (column is NumericColumn numeric)
            {
                var source = numeric.Values.AsSpan(0, rows);
                for (var row = 0; row < source.Length; row++)
                {
                    floats[row] = (float)source[row];
                }
            }
            else
            {
                for (var row = 0; row < rows; row++)
                {
                    floats[row] = column.IsMissing(row) || !float.TryParse(column.Format(row), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? float.NaN : parsed;
                }
            }
        }
    }

    /// <summary>A thread's single-row input tensor and the managed array it reads.</summary>
    private sealed record OneRowTensor(OrtValue Tensor, float[] Data);
}
