using Serverless.Domain.Projects;
using Serverless.ML.Training;

namespace Serverless.ML.Search;

/// <summary>
/// Proposes the next batch of candidates from the ones scored so far. Deterministic: the same trainers, history,
/// count and seed give the same proposals (the orchestrator records them; a replay does not ask again).
/// <list type="bullet">
/// <item><c>random</c>: uniform draws in each trainer's <see cref="SearchSpace"/> (log-scaled axes), trainers in turn.</item>
/// <item><c>auto</c>/<c>bayesian</c>: the first batch is every trainer's defaults (the configuration runs had before
/// search, so the search never does worse on the selection score), then one start per trainer (the trainer's
/// low-complexity <see cref="SearchSpace.Start"/> if it has one and it was not tried, else a random one); then a
/// tree-structured Parzen estimator: the scored
/// candidates are split into the best quarter and the rest, a trainer is drawn by its share of the best quarter, and
/// of 32 points drawn around that trainer's best candidates the one with the highest density ratio
/// good/rest is proposed.</item>
/// </list>
/// </summary>
public static class CandidateSearch
{
    private const double GoodFraction = 0.25;
    private const int Draws = 32;
    private const double Bandwidth = 0.15;

    /// <exception cref="ArgumentException">A trainer is unknown, or the strategy is <see cref="SearchStrategy.Grid"/> (that is <see cref="SweepPlanner"/>).</exception>
    public static IReadOnlyList<CandidateSpec> Propose(SearchStrategy strategy, IReadOnlyList<string> trainers, IReadOnlyList<ScoredCandidate> history, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentNullException.ThrowIfNull(history);
        if (strategy == SearchStrategy.Grid)
        {
            throw new ArgumentException("The grid is planned by SweepPlanner, not proposed.", nameof(strategy));
        }

        foreach (var trainer in trainers)
        {
            _ = SearchSpace.For(trainer);
        }

        var random = new Random(HashCode(seed, history.Count));
        var proposals = new List<CandidateSpec>(count);
        var seen = new HashSet<string>(history.Select(h => Key(h.Candidate)), StringComparer.Ordinal);
        if (strategy != SearchStrategy.Random && history.Count == 0)
        {
            foreach (var trainer in trainers.Take(count))
            {
                var defaults = new CandidateSpec(trainer, TrainerCatalog.Defaults[trainer]);
                proposals.Add(defaults);
                seen.Add(Key(defaults));
            }
        }

        var attempts = 0;
        while (proposals.Count < count && attempts++ < count * 20)
        {
            // Every trainer gets a random start besides its defaults before the model decides where to look.
            var unexplored = trainers.FirstOrDefault(t => history.Count(h => h.Candidate.Trainer == t) + proposals.Count(p => p.Trainer == t) < 2);
            var candidate = strategy == SearchStrategy.Random
                ? RandomCandidate(trainers[(history.Count + proposals.Count) % trainers.Count], random)
                : unexplored is not null ? StartOf(unexplored, seen, random)
                : ParzenCandidate(trainers, history, random);
            if (seen.Add(Key(candidate)))
            {
                proposals.Add(candidate);
            }
        }

        return proposals;
    }

    /// <summary>A candidate's searched values (a chosen number of trees does not make a LightGBM candidate new).</summary>
    private static string Key(CandidateSpec candidate) =>
        candidate.Trainer + ":" + string.Join(",", SearchSpace.For(candidate.Trainer).Select(a => candidate.Parameters.GetValueOrDefault(a.Name).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

    private static CandidateSpec StartOf(string trainer, HashSet<string> seen, Random random) =>
        SearchSpace.Start(trainer) is { } start && !seen.Contains(Key(start)) ? start : RandomCandidate(trainer, random);

    private static CandidateSpec RandomCandidate(string trainer, Random random) =>
        SearchSpace.At(trainer, SearchSpace.For(trainer).Select(_ => random.NextDouble()).ToArray());

    private static CandidateSpec ParzenCandidate(IReadOnlyList<string> trainers, IReadOnlyList<ScoredCandidate> history, Random random)
    {
        var scored = history.Where(h => h.Score is not null && trainers.Contains(h.Candidate.Trainer, StringComparer.Ordinal)).OrderByDescending(h => h.Score!.Value).ToList();
        var goodCount = Math.Max(1, (int)Math.Ceiling(scored.Count * GoodFraction));
        var good = scored.Take(goodCount).ToList();

        // A trainer by its share of the best quarter (smoothed so every trainer keeps some chance).
        var weights = trainers.Select(t => good.Count(g => g.Candidate.Trainer == t) + (0.5 / trainers.Count)).ToArray();
        var trainer = trainers[Pick(weights, random)];
        var mine = scored.Where(s => s.Candidate.Trainer == trainer).ToList();
        if (mine.Count < 2)
        {
            return RandomCandidate(trainer, random);
        }

        var mineGood = mine.Take(Math.Max(1, (int)Math.Ceiling(mine.Count * GoodFraction))).Select(s => SearchSpace.UnitOf(s.Candidate)).ToList();
        var mineBad = mine.Skip(mineGood.Count).Select(s => SearchSpace.UnitOf(s.Candidate)).ToList();
        var dimensions = SearchSpace.For(trainer).Count;
        double[]? best = null;
        var bestRatio = double.NegativeInfinity;
        for (var draw = 0; draw < Draws; draw++)
        {
            var centre = mineGood[random.Next(mineGood.Count)];
            var point = new double[dimensions];
            for (var d = 0; d < dimensions; d++)
            {
                point[d] = Math.Clamp(centre[d] + (Bandwidth * Gaussian(random)), 0, 1);
            }

            var ratio = Math.Log(Density(point, mineGood)) - Math.Log(Density(point, mineBad));
            if (ratio > bestRatio)
            {
                bestRatio = ratio;
                best = point;
            }
        }

        return SearchSpace.At(trainer, best!);
    }

    /// <summary>A Parzen density in the unit cube: Gaussian kernels at the points, mixed with the uniform prior.</summary>
    private static double Density(double[] point, List<double[]> points)
    {
        var sum = 1.0; // the uniform prior, weighted as one point
        foreach (var p in points)
        {
            var squared = 0.0;
            for (var d = 0; d < point.Length; d++)
            {
                var z = (point[d] - p[d]) / Bandwidth;
                squared += z * z;
            }

            sum += Math.Exp(-0.5 * squared) / Math.Pow(Bandwidth * Math.Sqrt(2 * Math.PI), point.Length);
        }

        return sum / (points.Count + 1);
    }

    private static int Pick(double[] weights, Random random)
    {
        var r = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            r -= weights[i];
            if (r <= 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static int HashCode(int seed, int round) => unchecked((seed * 7919) + round);
}
