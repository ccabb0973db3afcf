using System.Globalization;
using System.Text.Json;
using Serverless.Data.Profiling;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Monitoring.Drift;
using Serverless.Registry;
using Serverless.Storage;
using Serverless.Monitoring;
using Serverless.Serving.PredictionLogging;

namespace Serverless.Orchestrations.Monitoring;

/// <summary>
/// The drift baseline of a model version: the profile of the dataset version its lineage names, turned into
/// <see cref="FeatureReference"/>s for the signature's inputs and the label, and the matching current values from logged predictions.
/// </summary>
public sealed class TrainingReference(DatasetCatalog datasets, IBlobStore blobs, RegistryTables names)
{
    /// <summary>The category the profile sums its rarer categories into; current values outside the kept ones map to it.</summary>
    public const string OtherCategory = "__other__";

    /// <summary>The training profile of <paramref name="version"/>, or null with the reason when it has none.</summary>
    public async Task<(DatasetProfile? Profile, string? Missing)> LoadProfileAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (version.Lineage.DatasetVersion is not int datasetVersion)
        {
            return (null, $"Version {version.Version} of model '{version.Model}' names no training dataset version in its lineage.");
        }

        var project = version.Lineage.Project ?? version.Model;
        var dataset = await datasets.GetAsync(project, datasetVersion, cancellationToken).ConfigureAwait(false);
        if (!dataset.Artifacts.TryGetValue(DatasetArtifactKinds.Profile, out var path))
        {
            return (null, $"Dataset version {datasetVersion} of project '{project}' has no profile.");
        }

        var json = await blobs.TryDownloadTextAsync(names.ArtifactsContainer, path, cancellationToken).ConfigureAwait(false);
        return json is null
            ? (null, $"The profile '{path}' of dataset version {datasetVersion} of project '{project}' is missing.")
            : (JsonSerializer.Deserialize<DatasetProfile>(json, RegistryJson.Options), null);
    }

    /// <summary>One comparison per signature input that the profile describes, and the prediction comparison.</summary>
    public static (IReadOnlyList<FeatureComparison> Features, FeatureComparison? Prediction) Compare(ModelSignature signature, DatasetProfile profile, IReadOnlyList<LoggedPrediction> rows)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(rows);
        var features = new List<FeatureComparison>();
        foreach (var input in signature.Inputs)
        {
            if (profile.Find(input.Name) is not { } column)
            {
                continue;
            }

            if (column.Numeric is { } numeric && input.Kind != ColumnKind.Categorical)
            {
                features.Add(new FeatureComparison(
                    new FeatureReference.Numeric(input.Name, numeric.ReferenceSample),
                    new FeatureCurrent.Numeric(input.Name, rows.Select(r => NumberOf(r.Inputs, input.Name)).ToArray())));
            }
            else if (column.Categories is { } categories)
            {
                features.Add(Categorical(input.Name, categories, rows.Select(r => TextOf(r.Inputs, input.Name))));
            }
        }

        return (features, PredictionComparison(signature, profile, rows));
    }

    private static FeatureComparison? PredictionComparison(ModelSignature signature, DatasetProfile profile, IReadOnlyList<LoggedPrediction> rows)
    {
        if (signature.Task == TaskKind.Regression)
        {
            return profile.Find(signature.Label)?.Numeric is { } label
                ? new FeatureComparison(
                    new FeatureReference.Numeric("prediction", label.ReferenceSample),
                    new FeatureCurrent.Numeric("prediction", rows.Select(r => double.TryParse(r.Output, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray()))
                : null;
        }

        return profile.ClassCounts is { Count: > 0 } classes
            ? new FeatureComparison(
                new FeatureReference.Categorical("prediction", classes.ToDictionary(c => c.Key, c => (long)c.Value, StringComparer.Ordinal)),
                new FeatureCurrent.Categorical("prediction", rows.Select(r => (string?)r.Output).ToArray()))
            : null;
    }

    private static FeatureComparison Categorical(string name, CategoryProfile categories, IEnumerable<string?> values)
    {
        var counts = categories.Top.ToDictionary(c => c.Value, c => (long)c.Count, StringComparer.Ordinal);
        if (categories.OtherCount > 0)
        {
            counts[OtherCategory] = categories.OtherCount;
        }

        var current = values.Select(v => v is null || counts.ContainsKey(v) || categories.OtherCount == 0 ? v : OtherCategory).ToArray();
        return new FeatureComparison(new FeatureReference.Categorical(name, counts), new FeatureCurrent.Categorical(name, current));
    }

    private static double NumberOf(JsonElement inputs, string name) =>
        inputs.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.True => 1,
            JsonValueKind.False => 0,
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => double.NaN,
        } : double.NaN;

    private static string? TextOf(JsonElement inputs, string name) =>
        inputs.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        } : null;
}
