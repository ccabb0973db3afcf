using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Reads the version to use (the production alias at the start) and takes the input's row ranges from the request's
/// <see cref="ScoringRequest.Layout"/> (found by the trigger in the same pass as its hash), or streams the input once
/// to find them (<see cref="ScoringInputScanner"/>) when the request has none.
/// </summary>
public sealed class PlanScoring(IBlobStore blobs, ModelRegistry registry, ScoringInputScanner scanner, IOptions<BatchScoringOptions> options) : TaskActivity<ScoringRequest, ScoringPlan>
{
    public override async Task<ScoringPlan> RunAsync(TaskActivityContext context, ScoringRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var settings = options.Value;
        var version = await registry.GetAliasAsync(input.Model, settings.Alias, CancellationToken.None).ConfigureAwait(false)
            ?? throw new ScoringInputException($"Model '{input.Model}' has no '{settings.Alias}' version to score {input.InputContainer}/{input.InputBlob} with.");

        await blobs.CreateContainerIfNotExistsAsync(input.OutputContainer, CancellationToken.None).ConfigureAwait(false);
        var layout = input.Layout;
        if (layout is null)
        {
            await using var stream = await blobs.OpenReadAsync(input.InputContainer, input.InputBlob, CancellationToken.None).ConfigureAwait(false);
            layout = (await scanner.ScanAsync(stream, CancellationToken.None).ConfigureAwait(false)).Layout;
        }

        if (layout.Header.All(string.IsNullOrWhiteSpace))
        {
            throw new ScoringInputException($"{input.InputContainer}/{input.InputBlob} has no header row.");
        }

        return new ScoringPlan(version, layout.Header, layout.Rows, layout.Chunks, Math.Max(1, settings.Parallelism));
    }
}
