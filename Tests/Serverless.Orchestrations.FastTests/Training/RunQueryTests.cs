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
/// reports a status; the id prefixes that narrow the query.
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

        Assert.Equal([TrainingRunIds.Prefix("wine")], query.IdPrefixes());
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
    public void A_key_without_projects_sees_every_run_and_a_scoped_key_queries_only_its_projects_prefixes()
    {
        Assert.False(RunVisibility.ForKeyProjects([]).IsScoped);
        Assert.Equal([TrainingRunIds.AnyPrefix], new RunQuery(null, null, RunVisibility.All).IdPrefixes());

        // wine-red's prefix is inside wine's: queried once, then decided run by run.
        var scoped = RunVisibility.ForKeyProjects(["wine-red", "beer", "wine"]);
        Assert.Equal([TrainingRunIds.Prefix("beer"), TrainingRunIds.Prefix("wine")], new RunQuery(null, null, scoped).IdPrefixes());
        Assert.Empty(new RunQuery("cider", null, scoped).IdPrefixes());
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
