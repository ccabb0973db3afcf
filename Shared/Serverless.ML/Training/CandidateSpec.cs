namespace Serverless.ML.Training;

/// <summary>One model to train: a trainer (<see cref="Serverless.Domain.Projects.TrainerNames"/>) and its full hyperparameter set (ML.NET option names, camelCase).</summary>
public sealed record CandidateSpec(string Trainer, IReadOnlyDictionary<string, double> Parameters)
{
    /// <summary>A stable, readable id, e.g. <c>lightgbm(learningRate=0.1,numberOfLeaves=31)</c>.</summary>
    public string Id => $"{Trainer}({string.Join(",", Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"))})";

    public double Get(string name) =>
        Parameters.TryGetValue(name, out var value) ? value : throw new ArgumentException($"Candidate {Trainer} has no value for hyperparameter '{name}'.", nameof(name));
}
