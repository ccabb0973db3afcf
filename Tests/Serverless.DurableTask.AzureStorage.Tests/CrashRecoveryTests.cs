using System.Diagnostics;
using Microsoft.DurableTask.Client;
using Serverless.DurableTask.TestWorker;
using Serverless.Testing;
using Xunit;

namespace Serverless.DurableTask.AzureStorage.Tests;

/// <summary>A worker process killed (SIGKILL) mid-activity and mid-fan-out; a restarted one finishes the work.</summary>
public sealed class CrashRecoveryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private Process StartWorker(string hub, string workerId)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Serverless.DurableTask.TestWorker.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, azurite.ConnectionString, hub, workerId })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            await Task.Delay(100, cts.Token);
        }
    }

    [Fact]
    public async Task Killed_worker_is_replaced_and_completed_activities_are_not_run_again()
    {
        var hub = AzuriteFixture.UniqueName("h");
        var counter = new ExecutionCounter(azurite.Storage.Tables, hub + "Counts");
        await using var client = await DurableTestHost.StartAsync(azurite.ConnectionString, hub, register: null);

        var worker = StartWorker(hub, "crash-worker-1");
        try
        {
            var id = await client.Client.ScheduleNewOrchestrationInstanceAsync(nameof(KillChainOrchestrator), new KillChainInput("k", 8_000, 30));

            // Kill mid-activity: the slow step has started but not finished.
            await WaitUntilAsync(async () => await counter.GetAsync("k-c", "Started", default) >= 1, TimeSpan.FromSeconds(90));
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
            Assert.Equal(0, await counter.GetAsync("k-c", "Completed", default));

            worker = StartWorker(hub, "crash-worker-2");

            // Kill mid-orchestration: during the fan-out that follows the slow step.
            await WaitUntilAsync(async () => await counter.GetAsync("k-d", "Completed", default) >= 1, TimeSpan.FromSeconds(120));
            await Task.Delay(150);
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();

            worker = StartWorker(hub, "crash-worker-3");
            var done = await client.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(TimeSpan.FromSeconds(150));

            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            var expected = string.Join(",", new[] { "K-A", "K-B", "K-C", "K-D" }.Concat(Enumerable.Range(0, 30).Select(i => $"K-F{i}")));
            Assert.Equal(expected, done.ReadOutputAs<string>());
            Assert.Equal(1, await counter.GetAsync("k-a", "Started", default));
            Assert.Equal(1, await counter.GetAsync("k-b", "Started", default));
            Assert.Equal(2, await counter.GetAsync("k-c", "Started", default));
            Assert.Equal(1, await counter.GetAsync("k-c", "Completed", default));

            // Activities are at least once: killed mid-fan-out, a work item may run again.
            for (var i = 0; i < 30; i++)
            {
                Assert.InRange(await counter.GetAsync($"k-f{i}", "Completed", default), 1, 3);
            }
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync();
            }

            worker.Dispose();
        }
    }
}
