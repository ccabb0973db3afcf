using Serverless.Domain.Datasets;

namespace Serverless.Domain.Models;

/// <summary>
/// What a registered model takes and gives, and so the ONNX graph's interface:
/// <list type="bullet">
/// <item>one graph input per raw feature column, named exactly as the column: <see cref="ColumnKind.Numeric"/> and
/// <see cref="ColumnKind.Boolean"/> as <c>tensor(float)</c> of shape [N,1] (NaN = missing; imputed inside the graph),
/// <see cref="ColumnKind.Categorical"/> as <c>tensor(string)</c> of shape [N,1] (unknown or empty values are handled inside the graph);</item>
/// <item>classification outputs <c>label</c> (<c>tensor(string)</c>, [N]) and <c>probabilities</c> (<c>tensor(float)</c>, [N,C], columns in <see cref="Classes"/> order);
/// regression output <c>value</c> (<c>tensor(float)</c>, [N]).</item>
/// </list>
/// </summary>
public sealed record ModelSignature(
    TaskKind Task,
    string Label,
    IReadOnlyList<SignatureInput> Inputs,
    IReadOnlyList<string>? Classes = null)
{
    public const string LabelOutput = "label";
    public const string ProbabilitiesOutput = "probabilities";
    public const string ValueOutput = "value";

    /// <summary>ONNX metadata_props keys the exporter writes.</summary>
    public const string MetadataSignatureKey = "serverless.signature";
    public const string MetadataModelKey = "serverless.model";
    public const string MetadataVersionKey = "serverless.version";
}

/// <summary>One raw input column. <see cref="Categories"/> is the training vocabulary of a categorical input.</summary>
public sealed record SignatureInput(string Name, ColumnKind Kind, IReadOnlyList<string>? Categories = null);
