using Serverless.Domain.Models;

namespace Serverless.Onnx;

/// <summary>
/// What a model of the product's signature answered for N rows: classification <see cref="Labels"/> and
/// <see cref="Probabilities"/> (row-major N×C, columns in <see cref="Classes"/> order), or regression <see cref="Values"/>.
/// </summary>
public sealed record ModelPredictions(
    TaskKind Task,
    IReadOnlyList<string>? Classes,
    string[]? Labels,
    float[]? Probabilities,
    float[]? Values)
{
    public int RowCount => Labels?.Length ?? Values?.Length ?? 0;

    /// <summary>The probabilities of one row (empty when the model gives none).</summary>
    public ReadOnlySpan<float> ProbabilitiesOf(int row)
    {
        if (Probabilities is null || Classes is null || Classes.Count == 0)
        {
            return [];
        }

        return Probabilities.AsSpan(row * Classes.Count, Classes.Count);
    }
}
