using System.Diagnostics;
using Serverless.Domain.Projects;
using Serverless.ML.Training;
using Xunit;

namespace Serverless.ML.Tests;

/// <summary>A token stops ML.NET training while it runs (the bound behind Training:CandidateTimeout), not only before it starts.</summary>
public sealed class TrainingCancellationTests
{
    [Fact]
    public void A_token_cancelled_mid_fit_stops_a_long_training_within_seconds()
    {
        var data = Datasets.Load("pima2");
        var setup = data.Setup();
        var parameters = new Dictionary<string, double>(TrainerCatalog.Defaults[TrainerNames.FastTree], StringComparer.Ordinal) { ["numberOfTrees"] = 20_000 };
        var slow = new CandidateSpec(TrainerNames.FastTree, parameters);

        using var deadline = new CancellationTokenSource();
        var stopped = Stopwatch.StartNew();
        var cancelling = new Thread(() =>
        {
            Thread.Sleep(500);
            deadline.Cancel();
        });
        cancelling.Start();
        var thrown = Record.Exception(() => CandidateTrainer.Train(data.Train, data.Validation, setup, slow, deadline.Token));
        stopped.Stop();
        cancelling.Join();

        // Uncancelled, 20,000 trees take many seconds here; cancelled after half a second, training ends soon after.
        Assert.True(thrown is OperationCanceledException, $"{thrown?.GetType().Name ?? "no exception"} after {stopped.Elapsed}");
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(3), $"cancelled training took {stopped.Elapsed}");
    }
}
