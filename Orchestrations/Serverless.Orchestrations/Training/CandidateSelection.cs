namespace Serverless.Orchestrations.Training;

/// <summary>Picks the winning candidate: trained, passed ONNX parity, best on the project metric (ties: the earlier candidate).</summary>
public static class CandidateSelection
{
    public static CandidateOutcome? Best(IEnumerable<CandidateOutcome> candidates, string metric, bool higherIsBetter)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var eligible = candidates
            .Where(c => c.Error is null && c.ParityPassed && c.Metrics.TryGetValue(metric, out var value) && double.IsFinite(value))
            .OrderBy(c => c.Index)
            .ToList();
        if (eligible.Count == 0)
        {
            return null;
        }

        return higherIsBetter
            ? eligible.Aggregate((best, c) => c.Metrics[metric] > best.Metrics[metric] ? c : best)
            : eligible.Aggregate((best, c) => c.Metrics[metric] < best.Metrics[metric] ? c : best);
    }
}
