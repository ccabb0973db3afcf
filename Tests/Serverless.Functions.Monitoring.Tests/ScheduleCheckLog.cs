using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>Records the scheduled monitoring checks the host starts (<see cref="MonitoringSchedules"/>' event 6301).</summary>
public sealed class ScheduleCheckLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _checks = new();

    public IReadOnlyCollection<string> Checks => _checks;

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName == typeof(MonitoringSchedules).FullName ? _checks : null);

    public void Dispose()
    {
    }

    private sealed class Recorder(ConcurrentQueue<string>? checks) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => checks is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (checks is not null && eventId.Id == 6301)
            {
                checks.Enqueue(formatter(state, exception));
            }
        }
    }
}
