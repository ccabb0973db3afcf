namespace Serverless.Durable.Benchmarks;

/// <summary>The benchmark's no-op activity and its three orchestrations.</summary>
public static class Scenarios
{
    public const string Noop = "Noop";
    public const string Sequential = "Sequential";
    public const string FanOut = "FanOut";
    public const string Single = "Single";

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
            .AddOrchestratorFunc<int, int>(Single, async (ctx, i) => await ctx.CallActivityAsync<int>(Noop, i));
    }
}
