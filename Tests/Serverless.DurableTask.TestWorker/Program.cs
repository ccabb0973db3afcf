using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serverless.DurableTask.AzureStorage;
using Serverless.DurableTask.TestWorker;
using Serverless.Storage;
using Serverless.Storage.Azure;

// Usage: Serverless.DurableTask.TestWorker <connection string> <hub> <worker id>
if (args.Length != 3)
{
    await Console.Error.WriteLineAsync("Usage: Serverless.DurableTask.TestWorker <connection string> <hub> <worker id>");
    return 2;
}

var (connection, hub, workerId) = (args[0], args[1], args[2]);
var builder = Host.CreateApplicationBuilder();
builder.Services.AddAzureStorage(_ => new StorageConnectionOptions { ConnectionString = connection });
builder.Services.AddSingleton(sp => new ExecutionCounter(sp.GetRequiredService<ITableStore>(), hub + "Counts"));
builder.Services.AddDurableTaskAzureStorage(o => TestWorkerSettings.Apply(o, hub, workerId));
builder.Services.AddDurableTaskWorker(b => b.AddTasks(r => r.AddActivity<CountActivity>().AddOrchestrator<KillChainOrchestrator>()).UseAzureStorage());
builder.Services.AddDurableTaskClient(b => b.UseAzureStorage());
using var host = builder.Build();
await host.RunAsync();
return 0;
