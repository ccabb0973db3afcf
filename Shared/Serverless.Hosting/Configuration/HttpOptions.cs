namespace Serverless.Hosting.Configuration;

/// <summary>host.json <c>extensions.http</c>.</summary>
public sealed class HttpOptions
{
    public const string Section = FunctionsHostOptions.HostJsonSection + ":extensions:http";

    /// <summary>Prefix of every HTTP function's route; empty for none.</summary>
    public string RoutePrefix { get; set; } = "api";

    public long? MaxRequestBodySize { get; set; }
}
