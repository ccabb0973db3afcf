namespace Serverless.Serving;

/// <summary>Limits and defaults of the prediction endpoints (configuration section <c>Serving</c>).</summary>
public sealed class ServingOptions
{
    public const string SectionName = "Serving";

    /// <summary>Largest request body accepted; larger bodies get 413.</summary>
    public long MaxRequestBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Most rows one request may score; more get 413.</summary>
    public int MaxRows { get; set; } = 10_000;

    /// <summary>The alias served when a request names neither version nor alias.</summary>
    public string DefaultAlias { get; set; } = "production";
}
