using System.Diagnostics;

namespace Serverless.Orchestrations.Training;

/// <summary>Times the phases of one activity, one after another, for <see cref="RunStep.PhasesMs"/>.</summary>
public sealed class PhaseTimer
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly Dictionary<string, double> _phases = new(StringComparer.Ordinal);
    private TimeSpan _last;

    /// <summary>Milliseconds per phase, in the order they ended.</summary>
    public IReadOnlyDictionary<string, double> Milliseconds => _phases;

    /// <summary>Ends the phase that started when the previous one ended (or when the timer was made).</summary>
    public void End(string phase)
    {
        var now = _watch.Elapsed;
        _phases[phase] = Math.Round((now - _last).TotalMilliseconds, 1) + _phases.GetValueOrDefault(phase);
        _last = now;
    }

    /// <summary>Records a phase measured elsewhere (e.g. inside a library call) without moving the clock.</summary>
    public void Add(string phase, TimeSpan elapsed) =>
        _phases[phase] = Math.Round(elapsed.TotalMilliseconds, 1) + _phases.GetValueOrDefault(phase);
}
