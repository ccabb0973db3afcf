using System.ComponentModel.DataAnnotations;

namespace Serverless.Functions.Api;

/// <summary>Settings of scheduled retraining (section <c>Product:Retraining</c>).</summary>
public sealed record ScheduledRetrainingOptions
{
    public const string Section = "Product:Retraining";

    /// <summary>How often project specs are re-read so schedules follow spec changes (on every host).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(30);
}
