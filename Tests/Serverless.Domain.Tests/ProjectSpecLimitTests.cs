using Serverless.Domain.Projects;

namespace Serverless.Domain.Tests;

/// <summary>Issue 14 item 8: a spec outside <see cref="ProjectSpecLimits"/> is refused with the field named.</summary>
public sealed class ProjectSpecLimitTests
{
    [Theory]
    [InlineData("lightgbm", "numberOfTrees", "0")]
    [InlineData("fasttree", "numberOfTrees", "2001")]
    [InlineData("fastforest", "numberOfTrees", "1000000")]
    [InlineData("lightgbm", "numberOfLeaves", "1")]
    [InlineData("lightgbm", "numberOfLeaves", "1025")]
    [InlineData("lightgbm", "numberOfLeaves", "31.5")]
    [InlineData("lightgbm", "learningRate", "0")]
    [InlineData("lightgbm", "learningRate", "1.5")]
    [InlineData("fasttree", "minimumExampleCountPerLeaf", "0")]
    [InlineData("fasttree", "minimumExampleCountPerLeaf", "100001")]
    [InlineData("linear", "maximumNumberOfIterations", "5000")]
    [InlineData("linear", "l2Regularization", "-1")]
    public void A_hyperparameter_out_of_range_is_refused_naming_it(string trainer, string parameter, string value)
    {
        var error = Assert.Throws<ProjectSpecException>(() => ProjectSpecSerializer.Parse(
            $$"""{ "trainers": ["{{trainer}}"], "sweep": { "{{trainer}}": { "{{parameter}}": [{{value}}] } } }"""));

        var message = Assert.Single(error.Errors);
        Assert.StartsWith($"sweep.{trainer}.{parameter}: {value} is out of range", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hyperparameters_at_the_bounds_are_accepted()
    {
        var spec = ProjectSpecSerializer.Parse("""
            { "trainers": ["lightgbm"],
              "sweep": { "lightgbm": { "numberOfTrees": [1, 2000], "numberOfLeaves": [2, 1024], "learningRate": [1],
                                       "minimumExampleCountPerLeaf": [1, 100000] } } }
            """);

        Assert.Equal([1.0, 2000], spec.Sweep["lightgbm"]["numberOfTrees"]);
    }

    [Fact]
    public void An_unknown_hyperparameter_is_refused_naming_it()
    {
        var error = Assert.Throws<ProjectSpecException>(() => ProjectSpecSerializer.Parse("""{ "sweep": { "fasttree": { "numLeaves": [4] } } }"""));
        Assert.StartsWith("sweep.fasttree.numLeaves: unknown hyperparameter", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_sweep_grid_over_the_candidate_limit_is_refused()
    {
        // 5 x 4 x 4 = 80 candidates for fasttree alone.
        var error = Assert.Throws<ProjectSpecException>(() => ProjectSpecSerializer.Parse("""
            { "trainers": ["fasttree"],
              "sweep": { "fasttree": { "numberOfLeaves": [4, 8, 16, 32, 64], "numberOfTrees": [10, 50, 100, 200], "learningRate": [0.01, 0.05, 0.1, 0.2] } } }
            """));
        var message = Assert.Single(error.Errors);
        Assert.StartsWith("sweep: the grid has 80 candidates", message, StringComparison.Ordinal);
        Assert.Contains($"at most {ProjectSpecLimits.MaxSweepCandidates}", message, StringComparison.Ordinal);

        // 64 in all (61 + the three unswept trainers) is allowed.
        var grid = string.Join(", ", Enumerable.Range(2, 61));
        var spec = ProjectSpecSerializer.Parse($$"""{ "sweep": { "lightgbm": { "numberOfLeaves": [{{grid}}] } } }""");
        Assert.Equal(61, spec.Sweep["lightgbm"]["numberOfLeaves"].Count);
    }

    [Theory]
    [InlineData("schedule", "* * * * * *")]
    [InlineData("schedule", "0 * * * * *")]
    [InlineData("schedule", "0 */4 * * * *")]
    [InlineData("schedule", "0 0,1 2 * * *")]
    [InlineData("monitoring.schedule", "*/30 * * * * *")]
    [InlineData("monitoring.schedule", "0 0/2 9 * * 1")]
    public void A_schedule_firing_more_often_than_every_five_minutes_is_refused(string field, string cron)
    {
        var json = field == "schedule"
            ? $$"""{ "schedule": "{{cron}}" }"""
            : $$"""{ "monitoring": { "schedule": "{{cron}}" } }""";

        var error = Assert.Throws<ProjectSpecException>(() => ProjectSpecSerializer.Parse(json));
        var message = Assert.Single(error.Errors);
        Assert.StartsWith($"{field}: '{cron}' fires", message, StringComparison.Ordinal);
        Assert.Contains("at most every 5 minutes", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 */5 * * * *")]
    [InlineData("0 0 2 * * *")]
    [InlineData("0 */30 * * * *")]
    [InlineData("0 0 0 1 1 *")]
    public void Schedules_at_most_every_five_minutes_are_accepted(string cron)
    {
        var spec = ProjectSpecSerializer.Parse($$"""{ "schedule": "{{cron}}", "monitoring": { "schedule": "{{cron}}" } }""");
        Assert.Equal(cron, spec.Schedule);
        Assert.Equal(cron, spec.Monitoring.Schedule);
    }

    [Fact]
    public void An_approval_timeout_beyond_thirty_days_is_refused()
    {
        var error = Assert.Throws<ProjectSpecException>(() => ProjectSpecSerializer.Parse("""{ "approvalTimeout": "P31D" }"""));
        Assert.StartsWith("approvalTimeout: P31D is longer than the limit of P30D", Assert.Single(error.Errors), StringComparison.Ordinal);

        Assert.Equal(TimeSpan.FromDays(30), ProjectSpecSerializer.Parse("""{ "approvalTimeout": "P30D" }""").ApprovalTimeout);
    }
}
