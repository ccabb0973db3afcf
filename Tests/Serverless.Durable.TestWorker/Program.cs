using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serverless.Durable;
using Serverless.Durable.TestWorker;
using Serverless.Storage;
using Serverless.Storage.Azure;

// Usage: Serverless.Durable.TestWorker <connection string> <hub> <worker id>
if (args.Length != 3)
{
    await Console.Error.WriteLineAsync("Usage: Serverless.Durable.TestWorker <connection string> <hub> <worker id>");
    return 2;
}

var (connection, hub, workerId) = (args[0], args[1], args[2]);
var builder = Host.CreateApplicationBuilder();
builder.Services.AddAzureStorage(_ => new StorageConnectionOptions { ConnectionString = connection });
builder.Services.AddSingleton(sp => new ExecutionCounter(sp.GetRequiredService<ITableStore>(), hub + "Counts"));
builder.Services.AddDurableTask(
    options => TestWorkerSettings.Apply(options, hub, workerId),
    registry => registry.AddActivity<CountActivity>().AddOrchestrator<KillChainOrchestrator>());
using var host = builder.Build();
await host.RunAsync();
return 0;
