using System.Diagnostics;
using System.Globalization;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Onnx;
using Serverless.Serving.Models;
using Serverless.Serving.Predictions;
using Serverless.Serving.Requests;

namespace Serverless.Serving.OpenInference;

/// <summary>
/// Open Inference Protocol v2 over the served models. The product's tabular models take one input per column
/// (as MLServer's <c>pd</c> content type: named after the column, shape [N] or [N,1]) and answer <c>label</c>,
/// <c>probabilities</c> or <c>value</c>; foreign ONNX models take and give raw tensors.
/// </summary>
public sealed class OpenInferenceService(PredictionService predictions)
{
    public const string Platform = "onnxruntime_onnx";

    public async Task<OipModelMetadata> GetMetadataAsync(string model, int? version, CancellationToken cancellationToken)
    {
        using var lease = await predictions.AcquireAsync(model, null, version, cancellationToken).ConfigureAwait(false);
        var onnx = lease.Model;
        var inputs = onnx.Signature is { } signature
            ? signature.Inputs.Select(input => new OipTensorMetadata(
                input.Name, input.Kind == ColumnKind.Categorical ? "BYTES" : "FP32", [-1, 1])).ToList()
            : onnx.Inputs.Select(Describe).ToList();
        return new OipModelMetadata(
            lease.Name,
            [lease.Version.ToString(CultureInfo.InvariantCulture)],
            Platform,
            inputs,
            onnx.Outputs.Where(output => output.IsTensor).Select(Describe).ToList());
    }

    /// <summary>Whether the version can be served (loads it if needed).</summary>
    public async Task<int> GetReadyVersionAsync(string model, int? version, CancellationToken cancellationToken)
    {
        using var lease = await predictions.AcquireAsync(model, null, version, cancellationToken).ConfigureAwait(false);
        return lease.Version;
    }

    public async Task<OipInferenceResponse> InferAsync(string model, int? version, OipInferenceRequest request, string? correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        // A model-level infer follows the model's traffic policy (canary and shadow) as predict does; a version-level one does not.
        var (lease, routed) = await predictions.AcquireRoutedAsync(model, null, version, cancellationToken).ConfigureAwait(false);
        using var leased = lease;
        if (lease.Model.Signature is { } signature)
        {
            var frame = ToFrame(signature, request);
            var result = predictions.Score(lease, frame, correlationId, started, routed);
            return new OipInferenceResponse(lease.Name, lease.Version, request.Id, SelectOutputs(ToTensors(result.Predictions), request.Outputs), result.Ids);
        }

        var tensors = request.Inputs.Select(OipTensorReader.ToTensor).ToList();
        try
        {
            return new OipInferenceResponse(lease.Name, lease.Version, request.Id, lease.Model.Run(tensors, request.Outputs?.ToList()), null);
        }
        catch (OnnxModelException e)
        {
            throw new ServingRequestException(e.Message, e);
        }
    }

    private TabularFrame ToFrame(ModelSignature signature, OipInferenceRequest request)
    {
        var byName = new Dictionary<string, OipInput>(StringComparer.Ordinal);
        foreach (var input in request.Inputs)
        {
            if (!byName.TryAdd(input.Name, input))
            {
                throw new ServingRequestException($"inputs[{input.Index}]: the input '{input.Name}' is given twice.");
            }
        }

        var missing = signature.Inputs.Where(i => !byName.ContainsKey(i.Name)).Select(i => $"'{i.Name}'").ToList();
        if (missing.Count > 0)
        {
            throw new ServingRequestException($"Missing input{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing)}; the model takes one input per column: {string.Join(", ", signature.Inputs.Select(i => i.Name))}.");
        }

        var first = byName[signature.Inputs[0].Name];
        var rows = PredictionRequestReader.CheckRows(first.Data.Count, predictions.MaxRows);
        var columns = new List<FrameColumn>(signature.Inputs.Count);
        foreach (var signatureInput in signature.Inputs)
        {
            var input = byName[signatureInput.Name];
            if (input.Shape.Length is < 1 or > 2 || input.Shape[0] != rows || (input.Shape.Length == 2 && input.Shape[1] != 1))
            {
                throw new ServingRequestException($"inputs[{input.Index}] ('{input.Name}'): shape [{string.Join(",", input.Shape)}] must be [{rows}] or [{rows},1] (one value per row; every column has the same rows).");
            }

            var values = new ColumnValues(signatureInput, rows);
            for (var row = 0; row < rows; row++)
            {
                values.Set(row, input.Data[row]);
            }

            columns.Add(values.ToColumn());
        }

        return new TabularFrame(columns);
    }

    private static List<NamedTensor> ToTensors(ModelPredictions predictions)
    {
        var rows = predictions.RowCount;
        var outputs = new List<NamedTensor>(2);
        if (predictions.Task == TaskKind.Regression)
        {
            outputs.Add(new NamedTensor(ModelSignature.ValueOutput, [rows], predictions.Values!));
            return outputs;
        }

        outputs.Add(new NamedTensor(ModelSignature.LabelOutput, [rows], predictions.Labels!));
        if (predictions.Probabilities is not null && predictions.Classes is { Count: > 0 } classes)
        {
            outputs.Add(new NamedTensor(ModelSignature.ProbabilitiesOutput, [rows, classes.Count], predictions.Probabilities));
        }

        return outputs;
    }

    private static List<NamedTensor> SelectOutputs(List<NamedTensor> outputs, IReadOnlyList<string>? requested)
    {
        if (requested is null || requested.Count == 0)
        {
            return outputs;
        }

        return requested.Distinct(StringComparer.Ordinal).Select(name => outputs.FirstOrDefault(o => o.Name == name)
            ?? throw new ServingRequestException($"The model has no output '{name}' (it has: {string.Join(", ", outputs.Select(o => o.Name))}).")).ToList();
    }

    private static OipTensorMetadata Describe(TensorInfo info) => new(info.Name, OipDatatypes.NameOf(info.ElementKind), info.Shape);
}
