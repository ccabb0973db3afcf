using Microsoft.DurableTask;

namespace Serverless.DurableTask.Benchmarks;

/// <summary>The bare scenarios: one no-op activity and orchestrators that call it in the shapes measured.</summary>
public static class Scenarios
{
    public const string Noop = "Noop";
    public const string Sequential = "Sequential";
    public const string FanOut = "FanOut";
    public const string Small = "Small";
    public const string BarePipeline = "BarePipeline";

    /// <summary>Activities of one <see cref="Small"/> orchestration.</summary>
    public const int SmallActivities = 3;

    /// <summary>
    /// Sequential activity calls of the training pipeline on its auto-promotion path: run slot, ingest, split, plan,
    /// then (after the candidate fan-out) evaluate, register, set alias, release the slot.
    /// </summary>
    public const int PipelineStepsBefore = 4;

    public const int PipelineStepsAfter = 4;

    public static void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddActivityFunc<int, int>(Noop, (_, i) => i)
            .AddOrchestratorFunc<int, int>(Sequential, async (ctx, n) =>
            {
                var sum = 0;
                for (var i = 0; i < n; i++)
                {
                    sum += await ctx.CallActivityAsync<int>(Noop, i);
                }

                return sum;
            })
            .AddOrchestratorFunc<int, int>(FanOut, async (ctx, n) =>
                (await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<int>(Noop, i)))).Sum())
            .AddOrchestratorFunc<int, int>(Small, async (ctx, i) =>
            {
                var sum = 0;
                for (var step = 0; step < SmallActivities; step++)
                {
                    sum += await ctx.CallActivityAsync<int>(Noop, i + step);
                }

                return sum;
            })
            .AddOrchestratorFunc<int, int>(BarePipeline, async (ctx, candidates) =>
            {
                // The training pipeline's shape with nothing of the product: sequential steps, the candidate
                // fan-out, sequential steps; no custom status, no retry policies, int payloads.
                var sum = 0;
                for (var step = 0; step < PipelineStepsBefore; step++)
                {
                    sum += await ctx.CallActivityAsync<int>(Noop, step);
                }

                sum += (await Task.WhenAll(Enumerable.Range(0, candidates).Select(i => ctx.CallActivityAsync<int>(Noop, i)))).Sum();
                for (var step = 0; step < PipelineStepsAfter; step++)
                {
                    sum += await ctx.CallActivityAsync<int>(Noop, step);
                }

                return sum;
            });
    }
}
