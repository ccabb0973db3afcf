using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serverless.Functions.Composition;
using Serverless.Hosting;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Tests;

/// <summary>
/// The Function App as Azure composes it (the isolated worker's builder, without the local host's runtime) can create
/// every function class: each service a function or an activity needs is registered by the app itself, not only by
/// the local host.
/// </summary>
public sealed class FunctionAppServicesTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public void Every_function_class_and_activity_resolves_in_the_worker_alone()
    {
        var builder = FunctionAppBuilder.Create([], new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["MasterKey"] = "worker-services-test-master-key-0123456789",
            ["Product:Webhooks:SecretKey"] = Convert.ToBase64String(new byte[32]),
        });
        using var host = builder.Build();
        using var scope = host.Services.CreateScope();
        var functions = FunctionCatalog.Discover(typeof(ProductServices).Assembly.GetExportedTypes(), configuration: null);
        var problems = new List<string>();
        foreach (var type in functions.Select(f => f.ClassType).Distinct().Where(t => !(t.IsAbstract && t.IsSealed)))
        {
            try
            {
                ActivatorUtilities.CreateInstance(scope.ServiceProvider, type);
            }
            catch (InvalidOperationException e)
            {
                problems.Add($"{type.Name}: {e.Message}");
            }
        }

        foreach (var activity in typeof(Serverless.Orchestrations.SingleInstance).Assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(Microsoft.DurableTask.TaskActivity<,>)))
        {
            try
            {
                ActivatorUtilities.CreateInstance(scope.ServiceProvider, activity);
            }
            catch (InvalidOperationException e)
            {
                problems.Add($"{activity.Name}: {e.Message}");
            }
        }

        // Services start orchestrations with the Durable Task Framework's client on the task hub, not a binding's.
        Assert.IsType<Serverless.DurableTask.AzureStorage.AzureStorageDurableTaskClient>(scope.ServiceProvider.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>());
        // Durable payloads (inputs, outputs, custom status) are the same JSON whether the task hub's client, the local
        // host's worker or the worker's serializer in Azure (the Durable extension's data converter) writes them.
        var request = new Serverless.Orchestrations.Training.TrainingRunRequest { Project = "wine", DatasetVersion = 3, Trigger = "manual", RequestedBy = "ops", CorrelationId = "c1" };
        var json = Serverless.DurableTask.AzureStorage.DurableTaskAzureStorageExtensions.DataConverter.Serialize(request)!;
        var serializer = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<WorkerOptions>>().Value.Serializer!;
        var read = (Serverless.Orchestrations.Training.TrainingRunRequest)serializer.Deserialize(new BinaryData(json).ToStream(), typeof(Serverless.Orchestrations.Training.TrainingRunRequest), default)!;
        Assert.Equal(request, read);
        Assert.Equal(json, serializer.Serialize(request)!.ToString());
        Assert.True(problems.Count == 0, "Not resolvable in the Function App's worker:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        Assert.True(functions.Count >= 60, $"Only {functions.Count} functions found.");
    }
}
