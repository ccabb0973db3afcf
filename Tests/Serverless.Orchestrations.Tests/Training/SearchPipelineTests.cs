using Microsoft.DurableTask.Client;
using Serverless.Domain.Projects;
using Serverless.Orchestrations.Training;
using Serverless.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Serverless.Orchestrations.Tests.Training;

/// <summary>The default search on the real pipeline: DTFx on Azurite, real ML.NET, real ONNX Runtime.</summary>
public sealed class SearchPipelineTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(6);

    /// <summary>
    /// Friedman's first regression problem (as scikit-learn's <c>make_friedman1</c>): ten uniform features, five used,
    /// with an interaction and a non-linearity that default tree settings underfit on a few hundred rows; noise 1.
    /// </summary>
    private static byte[] Friedman1(int rows, int seed)
    {
        var random = new Random(seed);
        var csv = new System.Text.StringBuilder(string.Join(",", Enumerable.Range(0, 10).Select(i => $"x{i}")) + ",target\n");
        for (var row = 0; row < rows; row++)
        {
            var x = Enumerable.Range(0, 10).Select(_ => random.NextDouble()).ToArray();
            var noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var y = (10 * Math.Sin(Math.PI * x[0] * x[1])) + (20 * Math.Pow(x[2] - 0.5, 2)) + (10 * x[3]) + (5 * x[4]) + noise;
            csv.Append(string.Join(",", x.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))))
                .Append(',').Append(y.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        return System.Text.Encoding.UTF8.GetBytes(csv.ToString());
    }

    [Fact]
    public async Task A_zero_config_regression_upload_records_every_searched_candidate_and_beats_the_fixed_configurations()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        var data = Friedman1(500, seed: 5);
        await host.PutSpecAsync("fixed", """{ "search": { "strategy": "grid" } }""");

        var searched = await host.StartRunAsync("searched", await host.UploadAsync("searched", "friedman1.csv", data));
        var fixedRun = await host.StartRunAsync("fixed", await host.UploadAsync("fixed", "friedman1.csv", data));
        var auto = (await host.WaitAsync(searched, RunTimeout)).ReadOutputAs<RunReport>()!;
        var grid = (await host.WaitAsync(fixedRun, RunTimeout)).ReadOutputAs<RunReport>()!;

        Assert.Equal(RunOutcomes.Promoted, auto.Outcome);
        Assert.Equal(RunOutcomes.Promoted, grid.Outcome);
        Assert.Equal(TrainerNames.All.Count, grid.Candidates.Count);
        Assert.Equal(SearchDefaults.MaxCandidates(500, TrainerNames.All.Count), auto.Candidates.Count);
        Assert.Equal(Enumerable.Range(0, auto.Candidates.Count), auto.Candidates.Select(c => c.Index));
        Assert.All(auto.Candidates, c => Assert.True(c.Error is null && c.ParityPassed, $"#{c.Index} {c.Trainer}: {c.Error ?? c.ParityDetail}"));
        Assert.Contains(auto.Candidates, c => c.Trainer == TrainerNames.LightGbm && c.Parameters["numberOfTrees"] < 1000); // trees chosen by early stopping

        var autoR2 = auto.Evaluation!.Challenger["r2"];
        var gridR2 = grid.Evaluation!.Challenger["r2"];
        output.WriteLine($"test r2: auto {autoR2:F4} ({auto.Candidates.Count} candidates, winner {auto.Evaluation.CandidateIndex}), fixed {gridR2:F4}");
        foreach (var c in auto.Candidates)
        {
            output.WriteLine($"  #{c.Index} {c.Trainer} cv r2 {c.Metrics["r2"]:F4} {string.Join(",", c.Parameters.Select(p => $"{p.Key}={p.Value}"))}");
        }

        Assert.True(autoR2 > gridR2, $"auto {autoR2} vs fixed {gridR2}");
    }
}
