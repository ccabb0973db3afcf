using Serverless.Hosting.Invocation;
using Microsoft.Extensions.Hosting;

namespace Serverless.Hosting.Timers;

/// <summary>Registers every <see cref="TimerTriggerAttribute"/> function with the <see cref="TimerScheduler"/>.</summary>
public sealed class TimerFunctionRegistrar(FunctionCatalog catalog, TimerScheduler scheduler, FunctionInvoker invoker) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var function in catalog.WithTrigger<TimerTriggerAttribute>())
        {
            var trigger = (TimerTriggerAttribute)function.Trigger;
            CronSchedule schedule;
            try
            {
                schedule = CronSchedule.Parse(trigger.Schedule);
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"Function '{function.Name}': {e.Message}", e);
            }

            scheduler.Register(new TimerSchedule(
                function.Name,
                schedule,
                (info, token) => invoker.InvokeAsync(function, new InvocationRequest(info, new Dictionary<string, object?>(), Guid.NewGuid().ToString("N")), token),
                trigger.RunOnStartup));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
