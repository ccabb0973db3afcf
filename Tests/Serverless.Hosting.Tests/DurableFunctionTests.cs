using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Testing;
using Serverless.Hosting.Durable;
using Xunit;

namespace Serverless.Hosting.Tests;

/// <summary>
/// An <c>[OrchestrationTrigger]</c> function registered with a durable task worker (what the local host does) replays
/// to completion, reads its input as the type it asks for, and fails with its exception: on the SDK's in-memory host.
/// </summary>
public sealed class DurableFunctionTests
{
    [Fact]
    public async Task An_orchestrator_function_reads_its_typed_input_calls_activities_and_completes()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SampleOrchestrations.Greet), new Greeting("Ada", 2));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("hello hello Ada", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task An_orchestrator_functions_exception_fails_the_instance_with_its_type()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SampleOrchestrations.Greet), new Greeting("Ada", 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.True(done.FailureDetails!.IsCausedBy<ArgumentOutOfRangeException>(), done.FailureDetails.ToString());
    }

    private static Task<DurableTaskTestHost> StartAsync() =>
        DurableTaskTestHost.StartAsync(
            registry => registry
                .AddFunctions(new FunctionSource([typeof(SampleOrchestrations)]), JsonDataConverter.Default)
                .AddActivityFunc<string, string>("Hello", (_, name) => $"hello {name}"),
            new DurableTaskTestHostOptions { Port = FreePort() });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed record Greeting(string Name, int Times);

    public static class SampleOrchestrations
    {
        [Function(nameof(Greet))]
        public static async Task<string> Greet([OrchestrationTrigger] TaskOrchestrationContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var input = context.GetInput<Greeting>()!;
            ArgumentOutOfRangeException.ThrowIfLessThan(input.Times, 1);
            var text = input.Name;
            for (var i = 0; i < input.Times; i++)
            {
                text = await context.CallActivityAsync<string>("Hello", text).ConfigureAwait(true);
            }

            return text;
        }
    }
}
