using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Durable;

/// <summary>
/// The orchestrators and activities a worker can run, by name (the class name by default, or
/// <see cref="DurableTaskAttribute"/>). Classes are created from DI per invocation.
/// </summary>
public sealed class DurableTaskRegistry
{
    private readonly Dictionary<string, Func<IServiceProvider, ITaskOrchestrator>> _orchestrators = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<IServiceProvider, ITaskActivity>> _activities = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> OrchestratorNames => _orchestrators.Keys;

    public IReadOnlyCollection<string> ActivityNames => _activities.Keys;

    public DurableTaskRegistry AddOrchestrator<T>() where T : class, ITaskOrchestrator =>
        AddOrchestrator<T>(NameOf(typeof(T)));

    public DurableTaskRegistry AddOrchestrator<T>(TaskName name) where T : class, ITaskOrchestrator =>
        Add(_orchestrators, name, sp => ActivatorUtilities.CreateInstance<T>(sp), "orchestrator");

    public DurableTaskRegistry AddActivity<T>() where T : class, ITaskActivity =>
        AddActivity<T>(NameOf(typeof(T)));

    public DurableTaskRegistry AddActivity<T>(TaskName name) where T : class, ITaskActivity =>
        Add(_activities, name, sp => ActivatorUtilities.CreateInstance<T>(sp), "activity");

    public DurableTaskRegistry AddOrchestratorFunc<TInput, TOutput>(TaskName name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> orchestrator) =>
        Add(_orchestrators, name, _ => new FuncOrchestrator<TInput, TOutput>(orchestrator), "orchestrator");

    public DurableTaskRegistry AddOrchestratorFunc<TOutput>(TaskName name, Func<TaskOrchestrationContext, Task<TOutput>> orchestrator) =>
        AddOrchestratorFunc<object?, TOutput>(name, (context, _) => orchestrator(context));

    public DurableTaskRegistry AddActivityFunc<TInput, TOutput>(TaskName name, Func<TaskActivityContext, TInput, Task<TOutput>> activity) =>
        Add(_activities, name, _ => new FuncActivity<TInput, TOutput>(activity), "activity");

    public DurableTaskRegistry AddActivityFunc<TInput, TOutput>(TaskName name, Func<TaskActivityContext, TInput, TOutput> activity) =>
        AddActivityFunc<TInput, TOutput>(name, (context, input) => Task.FromResult(activity(context, input)));

    internal bool TryCreateOrchestrator(string name, IServiceProvider services, out ITaskOrchestrator? orchestrator)
    {
        orchestrator = _orchestrators.TryGetValue(name, out var factory) ? factory(services) : null;
        return orchestrator is not null;
    }

    internal bool TryCreateActivity(string name, IServiceProvider services, out ITaskActivity? activity)
    {
        activity = _activities.TryGetValue(name, out var factory) ? factory(services) : null;
        return activity is not null;
    }

    private static string NameOf(Type type) => type.GetCustomAttribute<DurableTaskAttribute>()?.Name ?? type.Name;

    private DurableTaskRegistry Add<T>(Dictionary<string, Func<IServiceProvider, T>> map, TaskName name, Func<IServiceProvider, T> factory, string kind)
    {
        if (string.IsNullOrWhiteSpace(name.Name))
        {
            throw new ArgumentException($"An {kind} needs a name.", nameof(name));
        }

        if (!map.TryAdd(name.Name, factory))
        {
            throw new ArgumentException($"An {kind} named '{name}' is already registered.", nameof(name));
        }

        return this;
    }

    private sealed class FuncOrchestrator<TInput, TOutput>(Func<TaskOrchestrationContext, TInput, Task<TOutput>> run) : TaskOrchestrator<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input) => run(context, input);
    }

    private sealed class FuncActivity<TInput, TOutput>(Func<TaskActivityContext, TInput, Task<TOutput>> run) : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => run(context, input);
    }
}
