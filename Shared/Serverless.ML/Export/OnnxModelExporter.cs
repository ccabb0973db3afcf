using Google.Protobuf;
using Serverless.Domain.Models;
using Serverless.ML.Features;
using Serverless.ML.Onnx.Proto;
using Serverless.ML.Training;
using Serverless.Onnx;

namespace Serverless.ML.Export;

/// <summary>
/// Exports a trained candidate, featurization included, as an ONNX model following <see cref="ModelSignature"/>'s
/// convention (ai.onnx opset 17, ai.onnx.ml opset 3, IR version 8).
/// </summary>
public static class OnnxModelExporter
{
    public const int OnnxOpset = 17;
    public const int MlOpset = 3;
    public const int IrVersion = 8;
    public const string ProducerName = "serverless-mlops";

    /// <summary>
    /// The ONNX bytes. <paramref name="metadata"/> is written into metadata_props as given (typically
    /// <see cref="ModelSignature.MetadataModelKey"/> and <see cref="ModelSignature.MetadataVersionKey"/>, which default to the
    /// candidate id and <c>0</c>); the signature JSON is written under <see cref="ModelSignature.MetadataSignatureKey"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The signature does not describe the candidate (task, label, inputs, categories, classes).</exception>
    /// <exception cref="NotSupportedException">The candidate's predictor cannot be exported.</exception>
    public static byte[] Export(TrainedCandidate candidate, ModelSignature signature, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(signature);
        RequireMatch(candidate, signature);
        var graph = new OnnxGraphBuilder();
        var features = FeatureGraph.Add(graph, candidate.Features);
        ScoreGraph.Add(graph, features, candidate);
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxModelExporter).Assembly.GetName().Version?.ToString() ?? "0",
            Domain = "serverless",
            ModelVersion = 1,
            DocString = $"{candidate.Spec.Id} for {signature.Task} on '{signature.Label}'",
            Graph = graph.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OnnxOpset });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = OnnxGraphBuilder.MlDomain, Version = MlOpset });
        var props = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ModelSignature.MetadataModelKey] = candidate.Spec.Id,
            [ModelSignature.MetadataVersionKey] = "0",
        };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            props[key] = value;
        }

        props[ModelSignature.MetadataSignatureKey] = ModelSignatureJson.Serialize(signature);
        foreach (var (key, value) in props.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model.ToByteArray();
    }

    private static void RequireMatch(TrainedCandidate candidate, ModelSignature signature)
    {
        var setup = candidate.Setup;
        if (signature.Task != setup.Task || !string.Equals(signature.Label, setup.Label, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The signature ({signature.Task} on '{signature.Label}') does not match the candidate ({setup.Task} on '{setup.Label}').", nameof(signature));
        }

        if (signature.Task != TaskKind.Regression && !(signature.Classes ?? []).SequenceEqual(setup.Classes, StringComparer.Ordinal))
        {
            throw new ArgumentException($"The signature's classes [{string.Join(", ", signature.Classes ?? [])}] differ from the candidate's [{string.Join(", ", setup.Classes)}].", nameof(signature));
        }

        var slots = candidate.Features.Slots;
        if (signature.Inputs.Count != slots.Count)
        {
            throw new ArgumentException($"The signature has {signature.Inputs.Count} inputs; the candidate was trained on {slots.Count}.", nameof(signature));
        }

        for (var i = 0; i < slots.Count; i++)
        {
            var input = signature.Inputs[i];
            var slot = slots[i];
            var sameCategories = slot is not CategoricalSlot categorical || (input.Categories ?? []).SequenceEqual(categorical.Categories, StringComparer.Ordinal);
            if (!string.Equals(input.Name, slot.Name, StringComparison.Ordinal) || input.Kind != slot.Kind || !sameCategories)
            {
                throw new ArgumentException($"Signature input {i} ('{input.Name}', {input.Kind}) does not match the candidate's feature '{slot.Name}' ({slot.Kind}) or its categories.", nameof(signature));
            }
        }
    }
}
