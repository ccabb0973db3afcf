using Microsoft.Extensions.Logging;

namespace Serverless.Testing.Host;

/// <summary>Appends warnings and errors to a file (see <see cref="FunctionsTestHost.DiagnosticsVariable"/>).</summary>
internal sealed class DiagnosticsFileLog(string path) : ILoggerProvider
{
    private static readonly Lock Gate = new();

    public ILogger CreateLogger(string categoryName) => new Sink(path, categoryName);

    public void Dispose() { }

    private sealed class Sink(string path, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Gate)
            {
                File.AppendAllText(path, $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)} {exception}\n");
            }
        }
    }
}
