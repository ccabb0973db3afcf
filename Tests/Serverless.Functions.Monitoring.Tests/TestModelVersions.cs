using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Registry;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>Registers placeholder binary-classifier versions (runs <c>run-1</c>…) for tests about aliases and their events.</summary>
internal static class TestModelVersions
{
    public static async Task RegisterAsync(ModelRegistry registry, string model, int count, DateTimeOffset at)
    {
        for (var i = 1; i <= count; i++)
        {
            await registry.RegisterAsync(
                new ModelRegistration(
                    model,
                    $"run-{i}",
                    new ModelSignature(TaskKind.Binary, "y", [new SignatureInput("x", ColumnKind.Numeric)], ["no", "yes"]),
                    new Dictionary<string, double> { ["auc"] = 0.9 },
                    new ModelLineage { Project = model, RunId = $"run-{i}", DatasetVersion = 1, Trainer = "lightgbm" },
                    new byte[] { 1, 2, 3 },
                    null),
                at);
        }
    }
}
