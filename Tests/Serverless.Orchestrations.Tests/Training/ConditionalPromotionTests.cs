using System.Text;
using Microsoft.DurableTask.Client;
using Serverless.Orchestrations.Training;
using Serverless.Registry;
using Serverless.Testing;
using Xunit;

namespace Serverless.Orchestrations.Tests.Training;

/// <summary>
/// Promotion on the real stack (DTFx on Azurite, ML.NET, ONNX Runtime) is conditional on the production version the gates
/// were judged against: a re-run after a purge does not move production back, and a stale approval does not replace a newer model.
/// </summary>
public sealed class ConditionalPromotionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Rerunning_a_purged_run_id_on_identical_data_does_not_move_production_back()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        await host.PutSpecAsync("pg", """{ "label": "diabetes", "trainers": ["linear"], "gates": { "mustBeatProductionBy": null } }""");
        var data = await File.ReadAllBytesAsync(SharedData.PathOf("pima2.csv"));
        var runId = TrainingRunIds.Prefix("pg") + "0123456789abcdef";

        var first = (await host.WaitAsync(await host.StartRunAsync("pg", await host.UploadAsync("pg", "v1.csv", data), runId), RunTimeout)).ReadOutputAs<RunReport>()!;
        Assert.Equal((RunOutcomes.Promoted, 1), (first.Outcome, first.ModelVersion));
        var second = (await host.WaitAsync(await host.StartRunAsync("pg", await host.UploadAsync("pg", "v2.csv", Reordered(data))), RunTimeout)).ReadOutputAs<RunReport>()!;
        Assert.Equal((RunOutcomes.Promoted, 2), (second.Outcome, second.ModelVersion));
        var audit = await host.Registry.GetAuditLogAsync("pg", "production");

        // Housekeeping purged the first run's instance; the identical dataset arrives again under the same run id.
        Assert.Equal(1, (await host.Client.PurgeInstanceAsync(runId)).PurgedInstanceCount);
        var rerun = await host.WaitAsync(await host.StartRunAsync("pg", await host.UploadAsync("pg", "again/v1.csv", data), runId), RunTimeout);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, rerun.RuntimeStatus);
        var report = rerun.ReadOutputAs<RunReport>()!;
        Assert.True(report.Evaluation!.Passed);
        Assert.Equal(2, report.Evaluation.ChampionVersion);
        Assert.Equal(RunOutcomes.Registered, report.Outcome);
        Assert.Equal(1, report.ModelVersion);
        Assert.Equal($"not promoted: version 1 was registered by an earlier execution of run {runId}; its promotion was decided then", report.Promotion);
        Assert.Equal(2, await host.Registry.GetAliasAsync("pg", "production"));
        Assert.Equal(audit, await host.Registry.GetAuditLogAsync("pg", "production"));
        Assert.Equal(2, (await host.Registry.GetModelAsync("pg"))!.LatestVersion);
    }

    [Fact]
    public async Task A_stale_approval_does_not_replace_a_model_promoted_while_it_waited()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        await host.PutSpecAsync("stale", """{ "label": "diabetes", "trainers": ["linear"], "promotion": "manual", "approvalTimeout": "PT10M" }""");
        var runId = await host.StartRunAsync("stale", await host.UploadAsync("stale", "v1.csv", await File.ReadAllBytesAsync(SharedData.PathOf("pima2.csv"))));
        await host.WaitForOutcomeAsync(runId, RunOutcomes.AwaitingApproval, RunTimeout);

        // While the run waits (judged against no production model), an operator registers and promotes another version.
        var staged = await host.Registry.GetVersionAsync("stale", 1);
        var other = await host.Registry.RegisterAsync(
            new ModelRegistration("stale", "operator-import", staged.Signature, staged.Metrics, staged.Lineage with { RunId = "operator-import" }, await host.Registry.LoadOnnxAsync(staged)),
            DateTimeOffset.UtcNow);
        await host.Registry.SetAliasAsync("stale", "production", other.Version, "bob", "hotfix", DateTimeOffset.UtcNow);

        await host.Client.RaiseEventAsync(runId, TrainingEvents.Approval, new ApprovalDecision(true, "alice", "looked fine last week"));
        var report = (await host.WaitAsync(runId, RunTimeout)).ReadOutputAs<RunReport>()!;

        Assert.Null(report.Evaluation!.ChampionVersion);
        Assert.Equal(RunOutcomes.Registered, report.Outcome);
        Assert.Equal($"not promoted: production changed from none to v{other.Version} since evaluation; the approval by alice was for gates judged against no production model", report.Promotion);
        Assert.Equal(other.Version, await host.Registry.GetAliasAsync("stale", "production"));
        Assert.Equal("bob", Assert.Single(await host.Registry.GetAuditLogAsync("stale", "production")).Actor);
    }

    private static byte[] Reordered(byte[] csv)
    {
        var lines = Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(1).Concat(lines.Skip(1).Reverse())) + "\n");
    }
}
