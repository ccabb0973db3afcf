using System.Globalization;
using Serverless.Serving.Predictions;

namespace Serverless.Serving.PredictionLogging;

/// <summary>
/// Keys of the prediction log and feedback tables: one partition per model and UTC hour (<c>{model}_{yyyyMMddHH}</c>,
/// so a monitoring window is a few partitions), row key the prediction id (which carries its hour, so feedback finds
/// its row with one point read).
/// </summary>
public static class PredictionLogKeys
{
    public static string Partition(string model, DateTimeOffset time) =>
        model + "_" + time.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    /// <summary>The partition of a prediction id, or <c>null</c> when the text is not a prediction id.</summary>
    public static string? PartitionOf(string model, string id) =>
        PredictionId.TimeOf(id) is { } time ? Partition(model, time) : null;
}
