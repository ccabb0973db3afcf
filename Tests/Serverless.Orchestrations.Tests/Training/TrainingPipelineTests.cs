using System.Text;
using Microsoft.DurableTask.Client;
using Serverless.Domain.Projects;
using Serverless.Orchestrations.Training;
using Serverless.Storage;
using Serverless.Testing;
using Xunit;

namespace Serverless.Orchestrations.Tests.Training;

/// <summary>The whole pipeline: the Durable Task Framework on Azurite, real ML.NET training, real ONNX Runtime.</summary>
public sealed class TrainingPipelineTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_wine_upload_is_validated_trained_registered_and_promoted()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        await host.PutSpecAsync("wine", """{ "label": "cultivar", "trainers": ["lightgbm", "linear"], "gates": { "min": { "macroAccuracy": 0.85 } } }""");
        var source = await host.UploadAsync("wine", "2026/wine.csv", await File.ReadAllBytesAsync(SharedData.PathOf("wine.csv")));

        var runId = await host.StartRunAsync("wine", source);
        var run = await host.WaitAsync(runId, RunTimeout);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var report = run.ReadOutputAs<RunReport>()!;
        Assert.Equal(RunOutcomes.Promoted, report.Outcome);
        Assert.Equal(["queue", "ingest", "validate", "split", "plan", "train", "select", "evaluate", "register", "promote"], report.Steps.Select(s => s.Name));
        Assert.All(report.Steps, s => Assert.Equal("Completed", s.Status));
        Assert.All(report.Steps, s => Assert.Equal((s.EndedAt!.Value - s.StartedAt).TotalMilliseconds, s.DurationMs!.Value, 0.1));
        var ingest = report.Steps.Single(s => s.Name == "ingest");
        Assert.Equal(["read upload (hash, local copy)", "snapshot and parse (concurrent)", "of which parse", "of which snapshot (storage-side copy)", "type, validate, profile", "record (report, profile, frame)"], ingest.PhasesMs!.Keys);
        var sequential = ingest.PhasesMs.Where(p => !p.Key.StartsWith("of which", StringComparison.Ordinal)).Sum(p => p.Value);
        Assert.True(sequential <= ingest.DurationMs + 1, $"ingest phases {sequential} ms within the step's {ingest.DurationMs} ms");
        Assert.True(ingest.PhasesMs["of which parse"] <= ingest.PhasesMs["snapshot and parse (concurrent)"] + 1);
        Assert.Contains(report.Steps.Single(s => s.Name == "train").PhasesMs!.Keys, k => k.StartsWith("featurize, fit (", StringComparison.Ordinal));
        Assert.All(report.Candidates, c => Assert.NotEmpty(c.PhasesMs!));
        Assert.Contains(report.Steps.Single(s => s.Name == "evaluate").PhasesMs!.Keys, k => k.StartsWith("of which PFI", StringComparison.Ordinal));
        Assert.NotEmpty(report.Evaluation!.FeatureImportance!);

        // The split is row indexes over the dataset's one frame: no copy of the data under the run's folder.
        var runBlobs = new List<string>();
        await foreach (var blob in host.Blobs.ListAsync(host.Tables.ArtifactsContainer, ArtifactPaths.RunFolder(runId) + "/"))
        {
            runBlobs.Add(blob.Name);
        }

        Assert.Contains(ArtifactPaths.Split(runId), runBlobs);
        Assert.DoesNotContain(runBlobs, b => b.EndsWith("/train.bin", StringComparison.Ordinal) || b.EndsWith("/test.bin", StringComparison.Ordinal));

        // Read once, kept as uploaded: the snapshot holds the upload's bytes under their hash.
        var snapshot = await host.Blobs.DownloadBytesAsync(host.Tables.ArtifactsContainer, ArtifactPaths.DatasetSnapshot("wine", report.Dataset!.ContentHash, source.Name));
        Assert.Equal(await File.ReadAllBytesAsync(SharedData.PathOf("wine.csv")), snapshot);
        Assert.Equal(source.ContentHash ?? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(snapshot)), report.Dataset.ContentHash);
        Assert.Equal("Multiclass", report.Dataset!.Task);
        Assert.Equal(["class_0", "class_1", "class_2"], report.Dataset.Classes);
        Assert.Equal(SearchDefaults.MaxCandidates(report.Dataset.Rows, 2), report.Candidates.Count); // the default search
        Assert.All(report.Candidates, c => Assert.True(c.ParityPassed, c.ParityDetail));
        Assert.True(report.Evaluation!.Challenger["macroAccuracy"] >= 0.9, $"wine macro accuracy {report.Evaluation.Challenger["macroAccuracy"]}");
        Assert.Equal("no production model yet", report.Evaluation.ChampionSkippedReason);

        Assert.Equal(1, report.ModelVersion);
        Assert.Equal(1, await host.Registry.GetAliasAsync("wine", "production"));
        var version = await host.Registry.GetVersionAsync("wine", 1);
        Assert.Equal(runId, version.Lineage.RunId);
        Assert.Equal(1, version.Lineage.DatasetVersion);
        Assert.Equal(report.Dataset.ContentHash, version.Lineage.DatasetHash);
        Assert.Equal(13, version.Signature.Inputs.Count);
        Assert.NotNull(version.ModelCardPath);
        var card = await host.Blobs.DownloadTextAsync(host.Tables.ArtifactsContainer, version.ModelCardPath!);
        Assert.Contains("# Model card: wine", card, StringComparison.Ordinal);
        var audit = Assert.Single(await host.Registry.GetAuditLogAsync("wine"));
        Assert.Equal(("pipeline", 1), (audit.Actor, audit.ToVersion));
    }

    [Fact]
    public async Task A_header_only_upload_is_rejected_with_a_report_and_no_model()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        var source = await host.UploadAsync("broken", "empty.csv", Encoding.UTF8.GetBytes("age,plan,label\n"));

        var run = await host.WaitAsync(await host.StartRunAsync("broken", source), RunTimeout);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var report = run.ReadOutputAs<RunReport>()!;
        Assert.Equal(RunOutcomes.Rejected, report.Outcome);
        Assert.False(report.Dataset!.IsValid);
        Assert.NotEmpty(report.Dataset.Errors);
        Assert.Null(report.ModelVersion);
        Assert.Null(await host.Registry.GetModelAsync("broken"));
        var version = Assert.Single(await host.Datasets.ListAsync("broken"));
        Assert.False(version.IsValid);
        Assert.NotNull(await host.Blobs.GetPropertiesAsync(host.Tables.ArtifactsContainer, report.Dataset.ReportPath));
    }

    [Fact]
    public async Task Manual_promotion_waits_for_approval_and_a_rejection_leaves_production_alone()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        // No production comparison gate: the second run must reach the approval step whatever its AUC.
        await host.PutSpecAsync("pima", """{ "label": "diabetes", "trainers": ["linear"], "promotion": "manual", "approvalTimeout": "PT10M", "gates": { "mustBeatProductionBy": null } }""");
        var data = await File.ReadAllBytesAsync(SharedData.PathOf("pima2.csv"));

        var first = await host.StartRunAsync("pima", await host.UploadAsync("pima", "v1.csv", data));
        await host.WaitForOutcomeAsync(first, RunOutcomes.AwaitingApproval, RunTimeout);
        Assert.Equal(1, await host.Registry.GetAliasAsync("pima", "staging"));
        Assert.Null(await host.Registry.GetAliasAsync("pima", "production"));
        await host.Client.RaiseEventAsync(first, TrainingEvents.Approval, new ApprovalDecision(true, "alice", "looks good"));
        var approved = (await host.WaitAsync(first, RunTimeout)).ReadOutputAs<RunReport>()!;
        Assert.Equal(RunOutcomes.Promoted, approved.Outcome);
        Assert.Equal(1, await host.Registry.GetAliasAsync("pima", "production"));
        Assert.Equal("alice", (await host.Registry.GetAuditLogAsync("pima", "production"))[0].Actor);

        // The same rows in another order: new content, a second run, evaluated against production version 1.
        var lines = Encoding.UTF8.GetString(data).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var reordered = Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(1).Concat(lines.Skip(1).Reverse())) + "\n");
        var second = await host.StartRunAsync("pima", await host.UploadAsync("pima", "v2.csv", reordered));
        await host.WaitForOutcomeAsync(second, RunOutcomes.AwaitingApproval, RunTimeout);
        await host.Client.RaiseEventAsync(second, TrainingEvents.Approval, new ApprovalDecision(false, "bob", "not now"));
        var rejected = (await host.WaitAsync(second, RunTimeout)).ReadOutputAs<RunReport>()!;
        Assert.Equal(RunOutcomes.ApprovalRejected, rejected.Outcome);
        Assert.Equal(1, rejected.Evaluation!.ChampionVersion);
        Assert.NotNull(rejected.Evaluation.Champion);
        Assert.Equal(2, await host.Registry.GetAliasAsync("pima", "staging"));
        Assert.Equal(1, await host.Registry.GetAliasAsync("pima", "production"));
    }

    [Fact]
    public async Task Approval_times_out_without_promoting()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        await host.PutSpecAsync("servo", """{ "label": "Class", "trainers": ["fasttree"], "promotion": "manual", "approvalTimeout": "PT3S" }""");
        var source = await host.UploadAsync("servo", "servo.csv", await File.ReadAllBytesAsync(SharedData.PathOf("servo.csv")));

        var report = (await host.WaitAsync(await host.StartRunAsync("servo", source), RunTimeout)).ReadOutputAs<RunReport>()!;

        Assert.Equal(RunOutcomes.ApprovalTimedOut, report.Outcome);
        Assert.Equal("Regression", report.Dataset!.Task);
        Assert.Equal(1, await host.Registry.GetAliasAsync("servo", "staging"));
        Assert.Null(await host.Registry.GetAliasAsync("servo", "production"));
    }

    [Fact]
    public async Task Runs_of_one_project_take_turns()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        await host.PutSpecAsync("diab", """{ "label": "progression", "trainers": ["linear"], "promotion": "manual", "approvalTimeout": "PT10M" }""");
        var data = await File.ReadAllBytesAsync(SharedData.PathOf("diabetes.csv"));
        var first = await host.StartRunAsync("diab", await host.UploadAsync("diab", "a.csv", data));
        await host.WaitForOutcomeAsync(first, RunOutcomes.AwaitingApproval, RunTimeout);

        var second = await host.StartRunAsync("diab", await host.UploadAsync("diab", "b.csv", [.. data, .. "\n"u8.ToArray()]));
        await host.WaitForOutcomeAsync(second, RunOutcomes.Queued, RunTimeout);

        await host.Client.RaiseEventAsync(first, TrainingEvents.Approval, new ApprovalDecision(true, "alice", null));
        await host.WaitAsync(first, RunTimeout);
        await host.WaitForOutcomeAsync(second, RunOutcomes.AwaitingApproval, RunTimeout); // it got the slot and ran
        await host.Client.RaiseEventAsync(second, TrainingEvents.Approval, new ApprovalDecision(true, "alice", null));
        var report = (await host.WaitAsync(second, RunTimeout)).ReadOutputAs<RunReport>()!;
        Assert.Equal(RunOutcomes.Promoted, report.Outcome);
        Assert.Equal(2, report.ModelVersion);
        var queued = report.Steps[0];
        Assert.Equal("queue", queued.Name);
    }
}
