using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.ML.Training;
using Xunit;

namespace Serverless.ML.Tests;

public sealed class SweepPlannerTests
{
    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<double>>> Sweep(string trainer, params (string Name, double[] Values)[] axes) =>
        new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<double>>>
        {
            [trainer] = axes.ToDictionary(a => a.Name, a => (IReadOnlyList<double>)a.Values),
        };

    [Fact]
    public void Without_a_sweep_each_trainer_is_one_candidate_with_defaults()
    {
        var plan = SweepPlanner.Plan(ProjectSpec.Default, TaskKind.Binary);

        Assert.Equal(TrainerNames.All, plan.Select(c => c.Trainer));
        Assert.Equal(31, plan[0].Get("numberOfLeaves"));
    }

    [Fact]
    public void Swept_values_are_crossed_and_completed_with_defaults()
    {
        var spec = ProjectSpec.Default with
        {
            Trainers = [TrainerNames.LightGbm, TrainerNames.Linear],
            Sweep = Sweep(TrainerNames.LightGbm, ("numberOfLeaves", [8, 16, 32]), ("learningRate", [0.05, 0.2])),
        };

        var plan = SweepPlanner.Plan(spec, TaskKind.Multiclass);

        Assert.Equal(7, plan.Count);
        var lightGbm = plan.Where(c => c.Trainer == TrainerNames.LightGbm).ToList();
        Assert.Equal(6, lightGbm.Select(c => c.Id).Distinct().Count());
        Assert.All(lightGbm, c => Assert.Equal(100, c.Get("numberOfTrees")));
        Assert.Contains(lightGbm, c => c.Get("numberOfLeaves") == 16 && c.Get("learningRate") == 0.05);
    }

    [Fact]
    public void Unknown_hyperparameters_and_oversized_grids_are_refused_clearly()
    {
        var unknown = ProjectSpec.Default with { Sweep = Sweep(TrainerNames.FastTree, ("numLeaves", [4])) };
        var error = Assert.Throws<ArgumentException>(() => SweepPlanner.Plan(unknown, TaskKind.Regression));
        Assert.Contains("sweep.fasttree.numLeaves", error.Message, StringComparison.Ordinal);

        var huge = ProjectSpec.Default with
        {
            Sweep = Sweep(TrainerNames.FastTree, ("numberOfLeaves", [4, 8, 16, 32, 64]), ("numberOfTrees", [10, 50, 100, 200]), ("learningRate", [0.01, 0.05, 0.1, 0.2])),
        };
        var tooMany = Assert.Throws<ArgumentException>(() => SweepPlanner.Plan(huge, TaskKind.Regression, new SweepLimits(MaxCandidates: 50)));
        Assert.Contains("83 candidates", tooMany.Message, StringComparison.Ordinal);

        var unlisted = ProjectSpec.Default with { Trainers = [TrainerNames.Linear], Sweep = Sweep(TrainerNames.FastTree, ("numberOfLeaves", [4])) };
        Assert.Contains("not among the project's trainers", Assert.Throws<ArgumentException>(() => SweepPlanner.Plan(unlisted, TaskKind.Binary)).Message, StringComparison.Ordinal);
    }
}
