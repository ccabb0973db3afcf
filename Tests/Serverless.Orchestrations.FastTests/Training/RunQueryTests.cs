using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Serverless.Orchestrations.Training;
using Xunit;

namespace Serverless.Orchestrations.FastTests.Training;

/// <summary>
/// Which runs <c>GET /api/runs</c> lists and a scoped key sees (<see cref="RunQuery"/>, <see cref="RunVisibility"/>): the
/// exact project the run was started for, whatever its id prefix, and nothing of another project's, even before the run
/// reports a status; the partitions it reads; search filters, order and pages.
/// </summary>
public sealed class RunQueryTests
{
    private static readonly DataConverter Converter = new JsonDataConverter(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private static readonly RunVisibility WineOnly = RunVisibility.ForKeyProjects(["wine"]);

    [Fact]
    public void A_project_filter_keeps_its_own_runs_and_not_those_of_a_project_whose_name_it_prefixes()
    {
        var wine = RunView.From(Pending(TrainingRunIds.ForContent("wine", "aaaa"), "wine"));
        var wineRed = RunView.From(Pending(TrainingRunIds.ForContent("wine-red", "bbbb"), "wine-red"));
        Assert.StartsWith(TrainingRunIds.Prefix("wine"), wineRed.Id, StringComparison.Ordinal);

        var query = new RunQuery("wine", null, RunVisibility.All);

        Assert.Equal(["wine"], query.Projects());
        Assert.True(query.Includes(wine));
        Assert.False(query.Includes(wineRed));
    }

    [Fact]
    public void A_run_without_a_status_yet_belongs_to_the_project_of_its_input()
    {
        var run = RunView.From(Pending(TrainingRunIds.ForContent("wine-red", "cccc"), "wine-red"));

        Assert.Equal("wine-red", run.Project);
        Assert.Equal("Pending", run.Status);
        Assert.Equal(RunTriggers.Upload, run.Trigger);
        Assert.False(run.IsFinished);
        Assert.False(WineOnly.Includes(run.Project));
        Assert.False(new RunQuery(null, null, WineOnly).Includes(run));
        Assert.True(RunVisibility.All.Includes(run.Project));
    }

    [Fact]
    public void A_scoped_key_never_sees_a_run_whose_project_is_unknown()
    {
        var run = RunView.From(new OrchestrationMetadata(TrainingPipeline.Name, "train-unknown-1")
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Pending,
            DataConverter = Converter,
        });

        Assert.Null(run.Project);
        Assert.False(WineOnly.Includes(run.Project));
        Assert.True(RunVisibility.All.Includes(run.Project));
    }

    [Fact]
    public void A_status_filter_ignores_case()
    {
        var run = RunView.From(Pending(TrainingRunIds.ForContent("wine", "dddd"), "wine"));

        Assert.True(new RunQuery("wine", "pending", WineOnly).Includes(run));
        Assert.False(new RunQuery("wine", "Promoted", WineOnly).Includes(run));
    }

    [Fact]
    public void A_key_without_projects_sees_every_run_and_a_scoped_key_queries_only_its_projects_partitions()
    {
        Assert.False(RunVisibility.ForKeyProjects([]).IsScoped);
        Assert.Null(new RunQuery(null, null, RunVisibility.All).Projects());

        // The run store is partitioned by project: each of the key's projects is read exactly, none by prefix.
        var scoped = RunVisibility.ForKeyProjects(["wine-red", "beer", "wine"]);
        Assert.Equal(["beer", "wine", "wine-red"], new RunQuery(null, null, scoped).Projects());
        Assert.Equal(["wine"], new RunQuery("wine", null, scoped).Projects());
        Assert.Empty(new RunQuery("cider", null, scoped).Projects()!);
    }

    [Fact]
    public void Search_parameters_filter_order_and_page_runs()
    {
        var at = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        RunView Run(string id, double? auc, int minutes, string trigger = RunTriggers.Upload, string? team = null) =>
            new RunView(id, "wine", trigger, null, null, RunOutcomes.Promoted, "Completed", at.AddMinutes(minutes), at.AddMinutes(minutes), null, null)
            {
                Metrics = auc is double v ? new Dictionary<string, double> { ["auc"] = v } : new Dictionary<string, double>(),
                Tags = team is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["team"] = team },
            };
        var runs = new[] { Run("a", 0.7, 1), Run("b", 0.9, 2, RunTriggers.Manual, "risk"), Run("c", null, 3), Run("d", 0.8, 4, team: "ops") };
        var all = new RunQuery(null, null, RunVisibility.All);

        Assert.Equal(["d", "c", "b", "a"], all.Order(runs).Select(r => r.Id));
        Assert.Equal(["b", "d", "a", "c"], (all with { OrderBy = "metric:auc:desc" }).Order(runs).Select(r => r.Id));
        Assert.Equal(["a", "d", "b", "c"], (all with { OrderBy = "metric:auc:asc" }).Order(runs).Select(r => r.Id));
        Assert.Equal(["b"], runs.Where((all with { Tag = "team:risk" }).Includes).Select(r => r.Id));
        Assert.Equal(["b"], runs.Where((all with { Trigger = "manual" }).Includes).Select(r => r.Id));
        Assert.Equal(["b", "c"], runs.Where((all with { Since = at.AddMinutes(2), Until = at.AddMinutes(4) }).Includes).Select(r => r.Id));
        Assert.Equal(2, (all with { Continuation = "2" }).Offset());
        Assert.Throws<RunQueryException>(() => (all with { OrderBy = "auc" }).Validate());
        Assert.Throws<RunQueryException>(() => (all with { Tag = "team" }).Validate());
        Assert.Throws<RunQueryException>(() => (all with { Top = 0 }).Validate());
        Assert.Throws<RunQueryException>(() => (all with { Continuation = "x" }).Validate());
    }

    [Fact]
    public void A_run_id_outside_every_prefix_of_a_keys_projects_is_refused_without_reading_it()
    {
        Assert.True(WineOnly.CouldInclude(TrainingRunIds.ForContent("wine", "eeee")));
        Assert.True(WineOnly.CouldInclude(TrainingRunIds.ForContent("wine-red", "eeee"))); // read, then decided by its project
        Assert.False(WineOnly.CouldInclude(TrainingRunIds.ForContent("beer", "eeee")));
        Assert.True(RunVisibility.All.CouldInclude("train-anything"));
    }

    [Fact]
    public void A_run_id_derives_from_the_uploaded_content_or_from_the_version_trigger_and_time()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var upload = new TrainingRunRequest { Project = "wine", Source = new DatasetSource("datasets", "wine/a.csv", new string('a', 64)) };
        var scheduled = new TrainingRunRequest { Project = "wine", DatasetVersion = 3, Trigger = RunTriggers.Schedule };

        Assert.Equal(TrainingRunIds.ForContent("wine", new string('a', 64)), TrainingRunIds.For(upload, at));
        Assert.Equal(TrainingRunIds.For(upload, at), TrainingRunIds.For(upload, at.AddDays(1)));
        Assert.Equal(TrainingRunIds.ForVersion("wine", 3, RunTriggers.Schedule, at), TrainingRunIds.For(scheduled, at));
        Assert.NotEqual(TrainingRunIds.For(scheduled, at), TrainingRunIds.For(scheduled, at.AddMinutes(5)));
        Assert.Throws<TrainingRunRequestException>(() => TrainingRunIds.For(new TrainingRunRequest { Project = "wine" }, at));
    }

    private static OrchestrationMetadata Pending(string runId, string project) => new(TrainingPipeline.Name, runId)
    {
        RuntimeStatus = OrchestrationRuntimeStatus.Pending,
        DataConverter = Converter,
        SerializedInput = Converter.Serialize(new TrainingRunRequest { Project = project, Trigger = RunTriggers.Upload, RequestedBy = "upload" }),
    };
}
