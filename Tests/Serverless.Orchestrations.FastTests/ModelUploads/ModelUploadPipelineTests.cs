using System.Collections.Concurrent;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Orchestrations.FastTests.Infrastructure;
using Serverless.Orchestrations.ModelUploads;
using Serverless.Orchestrations.ModelUploads.Activities;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Activities;
using Xunit;

namespace Serverless.Orchestrations.FastTests.ModelUploads;

/// <summary>The upload orchestration's branches on the real SDK, its activities scripted.</summary>
public sealed class ModelUploadPipelineTests
{
    private static readonly ValidatedModel Tabular = new(
        UploadedModelKinds.Tabular, new ModelSignature(TaskKind.Binary, "y", [new SignatureInput("x", ColumnKind.Numeric)], ["no", "yes"]),
        ["x: float[?,1]"], ["label: string[?]"], new Dictionary<string, string>());

    [Fact]
    public async Task A_model_that_fails_validation_is_rejected_and_nothing_is_registered()
    {
        var result = await RunAsync(new UploadValidation(null, null, 12, "m.onnx is not a usable ONNX model: bad protobuf"), Evaluation(passed: true, auto: true));

        Assert.Equal(ModelUploadStatuses.Rejected, result.Report.Status);
        Assert.Equal("m.onnx is not a usable ONNX model: bad protobuf", result.Report.Reason);
        Assert.Equal(0, result.Registered);
        Assert.Empty(result.Aliases);
    }

    [Fact]
    public async Task A_model_that_cannot_be_scored_on_its_dataset_is_rejected()
    {
        var result = await RunAsync(Valid, Evaluation(passed: false, auto: true) with { Rejection = "dataset p version 1 has no column 'y'" });

        Assert.Equal(ModelUploadStatuses.Rejected, result.Report.Status);
        Assert.Equal("dataset p version 1 has no column 'y'", result.Report.Reason);
        Assert.Equal(0, result.Registered);
    }

    [Theory]
    [InlineData(false, true, ModelUploadStatuses.Registered, null)]
    [InlineData(true, true, ModelUploadStatuses.Promoted, "production")]
    [InlineData(true, false, ModelUploadStatuses.Staged, "staging")]
    public async Task A_valid_model_is_registered_and_promoted_by_the_gates_and_the_promotion_mode(bool passed, bool auto, string status, string? alias)
    {
        var result = await RunAsync(Valid, Evaluation(passed, auto));

        Assert.Equal(status, result.Report.Status);
        Assert.Equal(1, result.Registered);
        Assert.Equal(1, result.Report.Version);
        Assert.Equal(alias is null ? [] : [alias], result.Aliases.Select(a => a.Alias));
    }

    [Fact]
    public async Task Evaluation_and_registration_read_the_snapshot_validation_kept()
    {
        var result = await RunAsync(Valid, Evaluation(passed: true, auto: true));

        Assert.Equal(Snapshot, Assert.Single(result.Evaluated).Snapshot);
        Assert.Equal(Snapshot, Assert.Single(result.Registrations).Snapshot);
        Assert.Equal(Snapshot.Sha256, result.Report.ModelSha256);
    }

    [Fact]
    public async Task Production_changed_since_evaluation_leaves_the_upload_registered_and_says_why()
    {
        var result = await RunAsync(Valid, Evaluation(passed: true, auto: true) with { ChampionVersion = 2 }, production: 3);

        Assert.Equal(ModelUploadStatuses.Registered, result.Report.Status);
        Assert.Equal("not promoted: production changed from v2 to v3 since evaluation", result.Report.Promotion);
        Assert.Equal(2, Assert.Single(result.Promotions).JudgedAgainst);
        Assert.Empty(result.Aliases);
    }

    [Fact]
    public async Task An_upload_registered_by_an_earlier_execution_is_not_promoted_again()
    {
        var result = await RunAsync(Valid, Evaluation(passed: true, auto: true), alreadyRegistered: true);

        Assert.Equal(ModelUploadStatuses.Registered, result.Report.Status);
        Assert.StartsWith("not promoted: version 1 was registered by an earlier execution of upload", result.Report.Promotion, StringComparison.Ordinal);
        Assert.Empty(result.Promotions);
        Assert.Empty(result.Aliases);
    }

    private static readonly UploadSnapshot Snapshot = new("uploads/sha256/" + new string('a', 64) + ".onnx", new string('a', 64), 12);

    private static readonly UploadValidation Valid = new(Tabular, null, 12, null, Snapshot);

    private static UploadEvaluation Evaluation(bool passed, bool auto) => new(
        "auc", new Dictionary<string, double> { ["auc"] = 0.9 }, "p version 1", null, null, "no production model yet",
        [new GateResult("min.auc", 0.8, 0.9, passed, "auc 0.9 >= 0.8")], passed, auto);

    private sealed record Outcome(
        ModelUploadReport Report, int Registered, SetAliasRequest[] Aliases, PromoteRequest[] Promotions, EvaluateUploadRequest[] Evaluated, RegisterUploadRequest[] Registrations);

    private static async Task<Outcome> RunAsync(UploadValidation validation, UploadEvaluation evaluation, int? production = null, bool alreadyRegistered = false)
    {
        var registered = 0;
        var aliases = new ConcurrentQueue<SetAliasRequest>();
        var promotions = new ConcurrentQueue<PromoteRequest>();
        var evaluated = new ConcurrentQueue<EvaluateUploadRequest>();
        var registrations = new ConcurrentQueue<RegisterUploadRequest>();
        await using var host = await DurableTaskTestHost.StartAsync(
            registry => registry
                .AddOrchestrator<ModelUploadPipeline>()
                .AddActivityFunc<ModelUploadRequest, UploadValidation>(nameof(ValidateUpload), (_, _) => validation)
                .AddActivityFunc<EvaluateUploadRequest, UploadEvaluation>(nameof(EvaluateUpload), (_, request) =>
                {
                    evaluated.Enqueue(request);
                    return evaluation;
                })
                .AddActivityFunc<RegisterUploadRequest, RegisteredVersion>(nameof(RegisterUpload), (_, request) =>
                {
                    registrations.Enqueue(request);
                    return new RegisteredVersion(Interlocked.Increment(ref registered), alreadyRegistered);
                })
                .AddActivityFunc<SetAliasRequest, bool>(nameof(SetModelAlias), (_, request) =>
                {
                    aliases.Enqueue(request);
                    return true;
                })
                .AddActivityFunc<PromoteRequest, PromotionResult>(nameof(PromoteModel), (_, request) =>
                {
                    promotions.Enqueue(request);
                    if (production is int current && current != request.Version && current != request.JudgedAgainst)
                    {
                        return new PromotionResult(false, current);
                    }

                    aliases.Enqueue(new SetAliasRequest(request.Model, PromoteModel.Alias, request.Version, request.Actor, request.Reason));
                    return new PromotionResult(true, request.Version);
                }),
            new DurableTaskTestHostOptions { Port = PipelineTestHost.FreePort() });
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(
            ModelUploadPipeline.Name, new ModelUploadRequest("churn", "model-uploads", "churn/m.onnx", null, "abc123"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        return new Outcome(run.ReadOutputAs<ModelUploadReport>()!, registered, [.. aliases], [.. promotions], [.. evaluated], [.. registrations]);
    }
}
