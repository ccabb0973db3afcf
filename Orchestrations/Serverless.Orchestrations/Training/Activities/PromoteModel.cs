using Microsoft.DurableTask;
using Serverless.Registry;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>
/// Promotes a version to <c>production</c> only if production is still the version its gates were judged against
/// (<see cref="ModelRegistry.SetAliasIfAsync"/>, a compare-and-set on the alias row), so neither a slow run nor a stale
/// approval replaces a model promoted meanwhile. Idempotent: production already on the version counts as promoted.
/// </summary>
public sealed class PromoteModel(ModelRegistry registry, TimeProvider time) : TaskActivity<PromoteRequest, PromotionResult>
{
    public const string Alias = "production";

    public override async Task<PromotionResult> RunAsync(TaskActivityContext context, PromoteRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var result = await registry.SetAliasIfAsync(
            input.Model, Alias, input.Version, input.JudgedAgainst, input.Actor, input.Reason, time.GetUtcNow(), input.CorrelationId, CancellationToken.None).ConfigureAwait(false);
        return new PromotionResult(result.Moved, result.Current);
    }
}
