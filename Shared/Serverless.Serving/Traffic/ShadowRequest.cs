using Serverless.Domain.Datasets;

namespace Serverless.Serving.Traffic;

/// <summary>Rows a production version answered, to be scored again by a shadow version.</summary>
internal sealed record ShadowRequest(string Model, int ShadowVersion, TabularFrame Frame, IReadOnlyList<string> PrimaryIds, string? CorrelationId)
{
    /// <summary>The W3C trace id of the request whose rows these are.</summary>
    public string? TraceId { get; init; }
}
