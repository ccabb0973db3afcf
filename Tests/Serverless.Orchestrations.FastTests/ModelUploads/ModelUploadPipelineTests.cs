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
        var result = await RunAsync(new UploadValidation(Tabular, null, 12, null), Evaluation(passed: false, auto: true) with { Rejection = "dataset p version 1 has no column 'y'" });

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
        var result = await RunAsync(new UploadValidation(Tabular, null, 12, null), Evaluation(passed, auto));

        Assert.Equal(status, result.Report.Status);
        Assert.Equal(1, result.Registered);
        Assert.Equal(1, result.Report.Version);
        Assert.Equal(alias is null ? [] : [alias], result.Aliases.Select(a => a.Alias));
    }

    private static UploadEvaluation Evaluation(bool passed, bool auto) => new(
        "auc", new Dictionary<string, double> { ["auc"] = 0.9 }, "p version 1", null, null, "no production model yet",
        [new GateResult("min.auc", 0.8, 0.9, passed, "auc 0.9 >= 0.8")], passed, auto);

    private static async Task<(ModelUploadReport Report, int Registered, SetAliasRequest[] Aliases)> RunAsync(UploadValidation validation, UploadEvaluation evaluation)
    {
        var registered = 0;
        var aliases = new ConcurrentQueue<SetAliasRequest>();
        await using var host = await DurableTaskTestHost.StartAsync(
            registry => registry
                .AddOrchestrator<ModelUploadPipeline>()
                .AddActivityFunc<ModelUploadRequest, UploadValidation>(nameof(ValidateUpload), (_, _) => validation)
                .AddActivityFunc<EvaluateUploadRequest, UploadEvaluation>(nameof(EvaluateUpload), (_, _) => evaluation)
                .AddActivityFunc<RegisterUploadRequest, int>(nameof(RegisterUpload), (_, _) => Interlocked.Increment(ref registered))
                .AddActivityFunc<SetAliasRequest, bool>(nameof(SetModelAlias), (_, request) =>
                {
                    aliases.Enqueue(request);
                    return true;
                }),
            new DurableTaskTestHostOptions { Port = PipelineTestHost.FreePort() });
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(
            ModelUploadPipeline.Name, new ModelUploadRequest("churn", "model-uploads", "churn/m.onnx", null, "abc123"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        return (run.ReadOutputAs<ModelUploadReport>()!, registered, [.. aliases]);
    }
}
