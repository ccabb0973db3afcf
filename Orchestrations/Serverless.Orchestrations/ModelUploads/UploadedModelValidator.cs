using System.Globalization;
using Serverless.Domain.Models;
using Serverless.ML.Onnx;
using Serverless.Onnx;

namespace Serverless.Orchestrations.ModelUploads;

/// <summary>
/// Decides whether uploaded ONNX bytes can be registered: bounded in size, passing <see cref="OnnxUploadInspector"/>'s
/// checks before ONNX Runtime sees them (no external data, no custom operator domains, no absurd shapes), loadable by
/// ONNX Runtime with <see cref="OnnxModelOptions.Untrusted"/> session options, every
/// input and output a tensor of a type the product can feed and read, and either the product's tabular
/// signature convention (see <see cref="ModelSignature"/>) or a plain tensor model. The sidecar must agree with the model.
/// </summary>
public static class UploadedModelValidator
{
    private static readonly HashSet<TensorElementKind> Supported =
    [
        TensorElementKind.Float, TensorElementKind.Double, TensorElementKind.Int8, TensorElementKind.Int16,
        TensorElementKind.Int32, TensorElementKind.Int64, TensorElementKind.UInt8, TensorElementKind.UInt16,
        TensorElementKind.UInt32, TensorElementKind.UInt64, TensorElementKind.Bool, TensorElementKind.String,
    ];

    /// <exception cref="ModelUploadRejectedException">The upload cannot be registered; the message says why.</exception>
    public static ValidatedModel Validate(byte[] onnx, string file, UploadSidecar? sidecar, long maxBytes, OnnxUploadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        RequireSize(onnx.LongLength, file, maxBytes);
        if (OnnxUploadInspector.DescribeProblem(onnx, limits) is { } problem)
        {
            throw new ModelUploadRejectedException($"{file} is not accepted: {problem}");
        }

        OnnxModel model;
        try
        {
            model = OnnxModel.Load(onnx, OnnxModelOptions.Untrusted);
        }
        catch (OnnxModelException e)
        {
            throw new ModelUploadRejectedException($"{file} is not a usable ONNX model: {e.Message}", e);
        }

        using (model)
        {
            foreach (var (info, role) in model.Inputs.Select(i => (i, "input")).Concat(model.Outputs.Select(o => (o, "output"))))
            {
                if (!info.IsTensor || !Supported.Contains(info.ElementKind))
                {
                    throw new ModelUploadRejectedException(
                        $"{file}: {role} '{info.Name}' is {(info.IsTensor ? info.ElementKind.ToString() : "not a tensor")}; supported are tensors of {string.Join(", ", Supported)}");
                }
            }

            var inputs = model.Inputs.Select(Describe).ToList();
            var outputs = model.Outputs.Select(Describe).ToList();
            var mapping = sidecar?.InputMapping ?? new Dictionary<string, string>();
            foreach (var name in mapping.Keys.Where(k => model.Inputs.All(i => i.Name != k)))
            {
                throw new ModelUploadRejectedException($"sidecar field 'inputMapping': '{name}' is not an input of the model ({string.Join(", ", model.Inputs.Select(i => i.Name))})");
            }

            if (model.Signature is { } signature)
            {
                RequireAgreement(signature, sidecar);
                return new ValidatedModel(UploadedModelKinds.Tabular, signature with { Classes = signature.Classes ?? sidecar?.Classes }, inputs, outputs, mapping);
            }

            if (sidecar?.EvaluationDataset is not null)
            {
                throw new ModelUploadRejectedException(
                    $"sidecar field 'evaluationDataset': {file} is a tensor model (no '{ModelSignature.MetadataSignatureKey}' signature), which is not evaluated on dataset columns");
            }

            // A tensor model: the registry keeps what the uploader said; its interface is the graph's.
            var described = new ModelSignature(sidecar?.TaskKind ?? TaskKind.Regression, sidecar?.Label ?? string.Empty, [], sidecar?.Classes);
            return new ValidatedModel(UploadedModelKinds.Tensor, described, inputs, outputs, mapping);
        }
    }

    /// <exception cref="ModelUploadRejectedException">The file is larger than allowed.</exception>
    public static void RequireSize(long length, string file, long maxBytes)
    {
        if (length > maxBytes)
        {
            throw new ModelUploadRejectedException($"{file} is {length} bytes; the limit is {maxBytes} bytes ({ModelUploadOptions.Section}:{nameof(ModelUploadOptions.MaxModelBytes)})");
        }

        if (length == 0)
        {
            throw new ModelUploadRejectedException($"{file} is empty");
        }
    }

    private static void RequireAgreement(ModelSignature signature, UploadSidecar? sidecar)
    {
        if (sidecar is null)
        {
            return;
        }

        if (sidecar.TaskKind is { } task && task != signature.Task)
        {
            throw new ModelUploadRejectedException($"sidecar field 'task' says {task.ToString().ToLowerInvariant()}; the model's signature says {signature.Task.ToString().ToLowerInvariant()}");
        }

        if (sidecar.Label is { } label && !string.Equals(label, signature.Label, StringComparison.Ordinal))
        {
            throw new ModelUploadRejectedException($"sidecar field 'label' says '{label}'; the model's signature predicts '{signature.Label}'");
        }

        if (sidecar.Classes is { } classes && signature.Classes is { } own && !classes.SequenceEqual(own, StringComparer.Ordinal))
        {
            throw new ModelUploadRejectedException($"sidecar field 'classes' says [{string.Join(", ", classes)}]; the model's signature has [{string.Join(", ", own)}]");
        }

        if (sidecar.Classes is not null && signature.Task == TaskKind.Regression)
        {
            throw new ModelUploadRejectedException("sidecar field 'classes' is given for a regression model");
        }
    }

    private static string Describe(TensorInfo info) =>
        $"{info.Name}: {info.ElementKind} [{string.Join(",", info.Shape.Select(d => d < 0 ? "-1" : d.ToString(CultureInfo.InvariantCulture)))}]";
}
