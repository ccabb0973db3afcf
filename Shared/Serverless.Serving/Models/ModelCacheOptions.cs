namespace Serverless.Serving.Models;

/// <summary>Bounds of the <see cref="ModelCache"/> (configuration section <c>Serving:ModelCache</c>).</summary>
public sealed class ModelCacheOptions
{
    public const string SectionName = "Serving:ModelCache";

    /// <summary>Most model versions kept loaded.</summary>
    public int MaxModels { get; set; } = 32;

    /// <summary>Most ONNX bytes kept loaded (an approximation of their memory); the last model loaded always stays.</summary>
    public long MaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>How long an alias resolution is reused; an alias change is served after at most this long.</summary>
    public TimeSpan AliasTtl { get; set; } = TimeSpan.FromSeconds(1);
}
