using Serverless.Orchestrations.Training;
using Xunit;

namespace Serverless.Orchestrations.Tests.Training;

public sealed class CandidateSelectionTests
{
    private static CandidateOutcome Candidate(int index, double auc, bool parity = true, string? error = null) =>
        new(index, "lightgbm", new Dictionary<string, double>(), new Dictionary<string, double> { ["auc"] = auc, ["logLoss"] = 1 - auc }, 1, parity, null, "m.onnx", null, error);

    [Fact]
    public void The_best_metric_wins_in_its_direction_and_ties_go_to_the_earlier_candidate()
    {
        var candidates = new[] { Candidate(0, 0.80), Candidate(1, 0.90), Candidate(2, 0.90) };
        Assert.Equal(1, CandidateSelection.Best(candidates, "auc", higherIsBetter: true)!.Index);
        Assert.Equal(1, CandidateSelection.Best(candidates, "logLoss", higherIsBetter: false)!.Index);
    }

    [Fact]
    public void Candidates_that_failed_or_missed_parity_never_win()
    {
        var candidates = new[] { Candidate(0, 0.70), Candidate(1, 0.99, parity: false), Candidate(2, 0.98, error: "LightGBM failed") };
        Assert.Equal(0, CandidateSelection.Best(candidates, "auc", true)!.Index);
        Assert.Null(CandidateSelection.Best([Candidate(1, 0.99, parity: false)], "auc", true));
        Assert.Null(CandidateSelection.Best([Candidate(0, double.NaN)], "auc", true));
    }
}
