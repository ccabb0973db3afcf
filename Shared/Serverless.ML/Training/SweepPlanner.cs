using Serverless.Domain.Models;
using Serverless.Domain.Projects;

namespace Serverless.ML.Training;

/// <summary>Bounds on a training run's candidate grid.</summary>
public sealed record SweepLimits(int MaxCandidates = ProjectSpecLimits.MaxSweepCandidates);

/// <summary>
/// Turns a project spec into the candidates to train: per trainer in <see cref="ProjectSpec.Trainers"/>, the cartesian
/// product of its <see cref="ProjectSpec.Sweep"/> values, each combination completed with <see cref="TrainerCatalog.Defaults"/>.
/// </summary>
public static class SweepPlanner
{
    /// <exception cref="ArgumentException">A trainer or hyperparameter is unknown, a value list is empty, or the grid exceeds <see cref="SweepLimits.MaxCandidates"/>.</exception>
    public static IReadOnlyList<CandidateSpec> Plan(ProjectSpec spec, TaskKind task, SweepLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        limits ??= new SweepLimits();
        foreach (var swept in spec.Sweep.Keys)
        {
            if (!spec.Trainers.Contains(swept, StringComparer.Ordinal))
            {
                throw new ArgumentException($"sweep.{swept}: '{swept}' is not among the project's trainers ({string.Join(", ", spec.Trainers)}).", nameof(spec));
            }
        }

        var grids = spec.Trainers.Distinct(StringComparer.Ordinal).Select(trainer => (trainer, grid: Grid(spec, trainer))).ToList();
        var total = grids.Sum(g => (long)g.grid.Count);
        if (total > limits.MaxCandidates)
        {
            var detail = string.Join(", ", grids.Select(g => $"{g.trainer}: {g.grid.Count}"));
            throw new ArgumentException($"sweep: the grid has {total} candidates ({detail}); at most {limits.MaxCandidates} are allowed. Sweep fewer values.", nameof(spec));
        }

        return grids.SelectMany(g => g.grid.Select(parameters => new CandidateSpec(g.trainer, parameters))).ToList();
    }

    private static List<IReadOnlyDictionary<string, double>> Grid(ProjectSpec spec, string trainer)
    {
        if (!TrainerCatalog.Defaults.TryGetValue(trainer, out var defaults))
        {
            throw new ArgumentException($"trainers: unknown trainer '{trainer}'; expected one of {string.Join(", ", TrainerNames.All)}.", nameof(spec));
        }

        var combinations = new List<Dictionary<string, double>> { new(defaults, StringComparer.Ordinal) };
        if (!spec.Sweep.TryGetValue(trainer, out var axes))
        {
            return [.. combinations];
        }

        foreach (var (name, values) in axes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (!defaults.ContainsKey(name))
            {
                throw new ArgumentException($"sweep.{trainer}.{name}: unknown hyperparameter; {trainer} takes {string.Join(", ", defaults.Keys)}.", nameof(spec));
            }

            if (values.Count == 0)
            {
                throw new ArgumentException($"sweep.{trainer}.{name}: the value list is empty.", nameof(spec));
            }

            if (values.Any(v => !double.IsFinite(v) || v < 0))
            {
                throw new ArgumentException($"sweep.{trainer}.{name}: values must be finite and non-negative.", nameof(spec));
            }

            combinations = combinations
                .SelectMany(c => values.Distinct().Select(v => new Dictionary<string, double>(c, StringComparer.Ordinal) { [name] = v }))
                .ToList();
        }

        return [.. combinations];
    }
}
