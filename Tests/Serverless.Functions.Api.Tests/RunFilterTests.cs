using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Serverless.Hosting;
using Serverless.Orchestrations.Training;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>
/// Which runs <c>GET /api/runs</c> lists and a scoped key sees: the exact project the run was started for, whatever
/// its id prefix, and nothing of another project's, even before the run reports a status.
/// </summary>
public sealed class RunFilterTests
{
    private static readonly DataConverter Converter = new JsonDataConverter(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private static readonly CallerIdentity Admin = new("admin", AuthorizationLevel.Admin, []);

    private static readonly CallerIdentity WineOnly = new("wine-team", AuthorizationLevel.Function, ["wine"]);

    [Fact]
    public void A_project_filter_keeps_its_own_runs_and_not_those_of_a_project_whose_name_it_prefixes()
    {
        var wine = RunView.From(Pending(TrainingRunIds.ForContent("wine", "aaaa"), "wine"));
        var wineRed = RunView.From(Pending(TrainingRunIds.ForContent("wine-red", "bbbb"), "wine-red"));
        Assert.StartsWith(TrainingRunIds.Prefix("wine"), wineRed.Id, StringComparison.Ordinal);

        var filter = new RunFilter("wine", null, Admin);

        Assert.True(filter.Includes(wine));
        Assert.False(filter.Includes(wineRed));
    }

    [Fact]
    public void A_run_without_a_status_yet_belongs_to_the_project_of_its_input()
    {
        var run = RunView.From(Pending(TrainingRunIds.ForContent("wine-red", "cccc"), "wine-red"));

        Assert.Equal("wine-red", run.Project);
        Assert.Equal("Pending", run.Status);
        Assert.Equal(RunTriggers.Upload, run.Trigger);
        Assert.False(run.IsVisibleTo(WineOnly));
        Assert.False(new RunFilter(null, null, WineOnly).Includes(run));
        Assert.True(run.IsVisibleTo(Admin));
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
        Assert.False(run.IsVisibleTo(WineOnly));
        Assert.True(run.IsVisibleTo(Admin));
    }

    [Fact]
    public void A_status_filter_ignores_case()
    {
        var run = RunView.From(Pending(TrainingRunIds.ForContent("wine", "dddd"), "wine"));

        Assert.True(new RunFilter("wine", "pending", WineOnly).Includes(run));
        Assert.False(new RunFilter("wine", "Promoted", WineOnly).Includes(run));
    }

    private static OrchestrationMetadata Pending(string runId, string project) => new(TrainingPipeline.Name, runId)
    {
        RuntimeStatus = OrchestrationRuntimeStatus.Pending,
        DataConverter = Converter,
        SerializedInput = Converter.Serialize(new TrainingRunRequest { Project = project, Trigger = RunTriggers.Upload, RequestedBy = "upload" }),
    };
}
