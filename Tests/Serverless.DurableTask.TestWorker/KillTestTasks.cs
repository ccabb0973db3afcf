using Microsoft.DurableTask;

namespace Serverless.DurableTask.TestWorker;

/// <summary>Counts each run ("started" and "completed") of the input key.</summary>
public sealed class CountActivity(ExecutionCounter counter) : TaskActivity<CountInput, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, CountInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await counter.IncrementAsync(input.Key, "Started", CancellationToken.None);
        if (input.DelayMilliseconds > 0)
        {
            await Task.Delay(input.DelayMilliseconds, CancellationToken.None);
        }

        await counter.IncrementAsync(input.Key, "Completed", CancellationToken.None);
        return input.Key.ToUpperInvariant();
    }
}

public sealed record CountInput(string Key, int DelayMilliseconds = 0);

/// <summary>a → b → slow c → d, then a fan-out of <c>fanOut</c> quick activities; returns all results joined.</summary>
public sealed class KillChainOrchestrator : TaskOrchestrator<KillChainInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, KillChainInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var results = new List<string>();
        foreach (var step in new[] { "a", "b" })
        {
            results.Add(await context.CallActivityAsync<string>(nameof(CountActivity), new CountInput($"{input.Prefix}-{step}")));
        }

        results.Add(await context.CallActivityAsync<string>(nameof(CountActivity), new CountInput($"{input.Prefix}-c", input.SlowMilliseconds)));
        results.Add(await context.CallActivityAsync<string>(nameof(CountActivity), new CountInput($"{input.Prefix}-d")));
        var fan = await Task.WhenAll(Enumerable.Range(0, input.FanOut).Select(i =>
            context.CallActivityAsync<string>(nameof(CountActivity), new CountInput($"{input.Prefix}-f{i}"))));
        results.AddRange(fan);
        return string.Join(",", results);
    }
}

public sealed record KillChainInput(string Prefix, int SlowMilliseconds, int FanOut);
