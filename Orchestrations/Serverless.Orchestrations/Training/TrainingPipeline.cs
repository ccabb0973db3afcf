using Microsoft.DurableTask;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.Orchestrations.Training.Activities;
using Serverless.Orchestrations.Training.RunSlots;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// The training pipeline, one activity per step: take the project's run slot, ingest and validate the
/// dataset (invalid data ends the run <c>Rejected</c>), split, train the candidate grid in parallel (each
/// exported to ONNX and checked for parity), evaluate the best against production, register it, and promote
/// it (automatically when the gates pass, or after a person approves). The run report is the custom status
/// while it runs and the output at the end; a failed step fails the instance with the step named.
/// </summary>
public sealed class TrainingPipeline : TaskOrchestrator<TrainingRunRequest, RunReport>
{
    public const string Name = nameof(TrainingPipeline);

    /// <summary>How long a queued run waits for the slot-granted event before checking the slot again.</summary>
    public static TimeSpan SlotRecheckInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Training a candidate is slow: fewer attempts; a bad spec or data is not retried either.</summary>
    private static readonly TaskOptions TrainingRetry = StepRetry.Create(2, TimeSpan.FromSeconds(5));

    public override async Task<RunReport> RunAsync(TaskOrchestrationContext context, TrainingRunRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var report = new RunReport
        {
            RunId = context.InstanceId,
            Project = input.Project,
            Trigger = input.Trigger,
            CorrelationId = input.CorrelationId,
            RequestedBy = input.RequestedBy,
            Reason = input.ReasonOrDefault(),
            RerunOf = input.RerunOf,
        };
        var recorder = new RunRecorder(context, report);
        var slot = new RunSlotRequest(input.Project, context.InstanceId);

        await recorder.StepAsync("queue", async () =>
        {
            while (!await context.CallActivityAsync<bool>(nameof(AcquireRunSlot), slot, StepRetry.Default))
            {
                if (recorder.Report.Outcome != RunOutcomes.Queued)
                {
                    recorder.SetOutcome(RunOutcomes.Queued);
                    await recorder.SaveAsync();
                }

                try
                {
                    await context.WaitForExternalEvent<bool>(ProjectRunSlots.SlotGrantedEvent, SlotRecheckInterval);
                }
                catch (TaskCanceledException)
                {
                    // No word yet: check the slot again (the event may have been lost with a crashed host).
                }
            }

            recorder.SetOutcome(RunOutcomes.Running);
            return "slot taken";
        });

        try
        {
            await RunStepsAsync(context, input, recorder);
        }
        catch (TaskFailedException e)
        {
            recorder.Fail($"{recorder.CurrentStep}: {e.FailureDetails.ErrorMessage}");
        }
        catch (PipelineStepException e)
        {
            recorder.Fail($"{recorder.CurrentStep}: {e.Message}");
        }
        finally
        {
            await context.CallActivityAsync<string?>(nameof(ReleaseRunSlot), slot, StepRetry.Default);
        }

        await recorder.SaveAsync(recorder.Report.Outcome == RunOutcomes.Failed ? "Failed" : "Completed");
        if (recorder.Report.Outcome == RunOutcomes.Failed)
        {
            throw new InvalidOperationException($"Training run {context.InstanceId} failed: {recorder.Report.FailureReason}");
        }

        return recorder.Report;
    }

    private static async Task RunStepsAsync(TaskOrchestrationContext context, TrainingRunRequest input, RunRecorder recorder)
    {
        var runId = context.InstanceId;
        var ingested = await recorder.StepAsync("ingest", async () =>
        {
            var outcome = await context.CallActivityAsync<IngestOutcome>(nameof(IngestDataset), new IngestRequest(input.Project, runId, input.Source, input.DatasetVersion, input.SpecJson), StepRetry.Default);
            recorder.Update(r => r with { Dataset = outcome.Dataset });
            recorder.AttachSpec(outcome.SpecJson);
            recorder.RecordPhases(outcome.PhasesMs);
            return (outcome, $"dataset version {outcome.Dataset.Version}: {outcome.Dataset.Rows} rows, {outcome.Dataset.Columns} columns");
        });
        var dataset = ingested.Dataset;
        var spec = ProjectSpecSerializer.Parse(ingested.SpecJson);

        var valid = await recorder.StepAsync("validate", () => Task.FromResult((dataset.IsValid,
            dataset.IsValid ? $"{dataset.WarningCount} warnings" : $"{dataset.ErrorCount} errors: {string.Join("; ", dataset.Errors)}")));
        if (!valid)
        {
            recorder.SetOutcome(RunOutcomes.Rejected);
            return;
        }

        var task = Enum.Parse<TaskKind>(dataset.Task!, ignoreCase: true);
        var split = await recorder.StepAsync("split", async () =>
        {
            var outcome = await context.CallActivityAsync<SplitOutcome>(nameof(SplitDataset), new SplitRequest(input.Project, runId, dataset.FramePath, dataset.Label!, task, ingested.SpecJson), StepRetry.Default);
            recorder.RecordPhases(outcome.PhasesMs);
            return (outcome, string.Join(", ", outcome.Sizes.Select(s => $"{s.Key} {s.Value}")));
        });

        var plans = await recorder.StepAsync("plan", async () =>
        {
            var planned = await context.CallActivityAsync<PlanOutcome>(nameof(PlanCandidates), new PlanRequest(input.Project, task, ingested.SpecJson, dataset.Rows), StepRetry.Default);
            return (planned, $"{planned.Strategy} search: {planned.Candidates.Count} candidates in the first batch, selected by {planned.Metric}");
        });

        var candidates = await recorder.StepAsync("train", async () =>
        {
            var trained = await SearchAsync(context, recorder, plans, new PlanRequest(input.Project, task, ingested.SpecJson, dataset.Rows), plan => new TrainRequest(runId, input.Project, plan, dataset, split, ingested.SpecJson));
            recorder.RecordPhases(trained.MaxBy(c => c.DurationSeconds)?.PhasesMs);
            var usable = trained.Count(c => c.Error is null && c.ParityPassed);
            return (trained, $"{usable} of {trained.Count} candidates trained and passed ONNX parity");
        });

        var best = await recorder.StepAsync("select", () =>
        {
            var winner = CandidateSelection.Best(candidates, plans.Metric, plans.HigherIsBetter)
                ?? throw new PipelineStepException(
                    "No candidate both trained and passed the ONNX parity gate: " +
                    string.Join("; ", candidates.Select(c => $"{c.Trainer} #{c.Index}: {c.Error ?? c.ParityDetail ?? "no " + plans.Metric}")));
            return Task.FromResult((winner, $"{winner.Trainer} (candidate {winner.Index}), validation {plans.Metric} {winner.Metrics[plans.Metric]:0.####}"));
        });

        var evaluation = await recorder.StepAsync("evaluate", async () =>
        {
            var outcome = await context.CallActivityAsync<EvaluationOutcome>(nameof(EvaluateChallenger), new EvaluateRequest(runId, input.Project, best, dataset, split, ingested.SpecJson), StepRetry.Default);
            recorder.RecordPhases(outcome.PhasesMs);
            outcome = outcome with { PhasesMs = null };
            recorder.Update(r => r with { Evaluation = outcome });
            return (outcome, outcome.Passed ? "gates passed" : "gates not passed: " + string.Join("; ", outcome.Gates.Where(g => !g.Passed).Select(g => g.Description)));
        });

        // Names this execution of the run id (deterministic on replay, new when the run id starts again after a purge).
        var attempt = context.NewGuid().ToString("N");
        var registered = await recorder.StepAsync("register", async () =>
        {
            var outcome = await context.CallActivityAsync<RegisteredVersion>(nameof(RegisterModel), new RegisterRequest(
                runId, input.Project, best, evaluation, dataset, split, input.Trigger, input.CorrelationId, recorder.DurationsSeconds(), attempt), StepRetry.Default);
            recorder.Update(r => r with { ModelVersion = outcome.Version });
            return (outcome, $"{input.Project} version {outcome.Version}{(outcome.AlreadyRegistered ? " (registered by an earlier execution of this run id; nothing written)" : string.Empty)}");
        });

        await recorder.StepAsync("promote", () => PromoteAsync(context, input.Project, registered, evaluation, spec, recorder));
    }

    private static async Task<string> PromoteAsync(TaskOrchestrationContext context, string model, RegisteredVersion registered, EvaluationOutcome evaluation, ProjectSpec spec, RunRecorder recorder)
    {
        var version = registered.Version;
        if (registered.AlreadyRegistered)
        {
            // The gates were judged on this execution's model, not on the version registered earlier under the same run id.
            var why = $"not promoted: version {version} was registered by an earlier execution of run {context.InstanceId}; its promotion was decided then";
            recorder.Update(r => r with { Promotion = why, Outcome = RunOutcomes.Registered });
            return why;
        }

        if (!evaluation.Passed)
        {
            var why = "not promoted: gates not passed: " + string.Join("; ", evaluation.Gates.Where(g => !g.Passed).Select(g => g.Description));
            recorder.Update(r => r with { Promotion = why, Outcome = RunOutcomes.Registered });
            return why;
        }

        if (spec.Promotion == PromotionMode.Auto)
        {
            var promoted = await context.CallActivityAsync<PromotionResult>(nameof(PromoteModel), new PromoteRequest(model, version, evaluation.ChampionVersion, "pipeline", $"run {context.InstanceId}: gates passed", recorder.Report.CorrelationId), StepRetry.Default);
            if (!promoted.Promoted)
            {
                var refused = promoted.DescribeRefusal(evaluation.ChampionVersion);
                recorder.Update(r => r with { Promotion = refused, Outcome = RunOutcomes.Registered });
                return refused;
            }

            recorder.Update(r => r with { Promotion = "promoted to production", Outcome = RunOutcomes.Promoted });
            return "promoted to production";
        }

        await context.CallActivityAsync<bool>(nameof(SetModelAlias), new SetAliasRequest(model, "staging", version, "pipeline", $"run {context.InstanceId}: awaiting approval", recorder.Report.CorrelationId), StepRetry.Default);
        recorder.Update(r => r with { Promotion = "staging; awaiting approval", Outcome = RunOutcomes.AwaitingApproval });
        await recorder.SaveAsync();
        ApprovalDecision decision;
        try
        {
            decision = await context.WaitForExternalEvent<ApprovalDecision>(TrainingEvents.Approval, spec.ApprovalTimeout);
        }
        catch (TaskCanceledException)
        {
            recorder.Update(r => r with { Promotion = $"not promoted: no decision within {spec.ApprovalTimeout}", Outcome = RunOutcomes.ApprovalTimedOut });
            return "approval timed out";
        }

        if (!decision.Approved)
        {
            recorder.Update(r => r with { Promotion = $"rejected by {decision.By}: {decision.Reason}", Outcome = RunOutcomes.ApprovalRejected });
            return $"rejected by {decision.By}";
        }

        // An approval is for gates judged against one production version: it cannot replace a newer one.
        var approved = await context.CallActivityAsync<PromotionResult>(nameof(PromoteModel), new PromoteRequest(model, version, evaluation.ChampionVersion, decision.By, decision.Reason ?? $"approved run {context.InstanceId}", recorder.Report.CorrelationId), StepRetry.Default);
        if (!approved.Promoted)
        {
            var stale = $"{approved.DescribeRefusal(evaluation.ChampionVersion)}; the approval by {decision.By} was for gates judged against {(evaluation.ChampionVersion is int judged ? $"v{judged}" : "no production model")}";
            recorder.Update(r => r with { Promotion = stale, Outcome = RunOutcomes.Registered });
            return stale;
        }

        recorder.Update(r => r with { Promotion = $"promoted to production, approved by {decision.By}", Outcome = RunOutcomes.Promoted });
        return $"approved by {decision.By}";
    }

    /// <summary>
    /// Trains the search's batches: each batch fans out, then <see cref="PlanCandidates"/> proposes the next one given
    /// every result so far, until it proposes none, <see cref="PlanOutcome.MaxCandidates"/> are trained, or the budget
    /// (measured on the orchestration's clock from the first batch) is spent. A batch always finishes. Every candidate is recorded.
    /// </summary>
    private static async Task<List<CandidateOutcome>> SearchAsync(
        TaskOrchestrationContext context, RunRecorder recorder, PlanOutcome first, PlanRequest next, Func<CandidatePlan, TrainRequest> request)
    {
        var started = context.CurrentUtcDateTime;
        var trained = new List<CandidateOutcome>();
        var batch = first;
        while (batch.Candidates.Count > 0)
        {
            var outcomes = await Task.WhenAll(batch.Candidates.Take(first.MaxCandidates - trained.Count).Select(plan => TrainOneAsync(context, request(plan))));
            trained.AddRange(outcomes.OrderBy(c => c.Index));
            recorder.Update(r => r with { Candidates = [.. trained] });
            if (trained.Count >= first.MaxCandidates || (first.Budget is { } budget && context.CurrentUtcDateTime - started >= budget))
            {
                break;
            }

            batch = await context.CallActivityAsync<PlanOutcome>(nameof(PlanCandidates), next with { Trained = [.. trained] }, StepRetry.Default);
        }

        return trained;
    }

    /// <summary>Trains one candidate; a trainer that fails is recorded as such and does not stop the others.</summary>
    private static async Task<CandidateOutcome> TrainOneAsync(TaskOrchestrationContext context, TrainRequest request)
    {
        try
        {
            return await context.CallActivityAsync<CandidateOutcome>(nameof(TrainCandidate), request, TrainingRetry);
        }
        catch (TaskFailedException e)
        {
            return new CandidateOutcome(request.Plan.Index, request.Plan.Trainer, request.Plan.Parameters, new Dictionary<string, double>(), 0, false, null, null, null, e.FailureDetails.ErrorMessage);
        }
    }
}
