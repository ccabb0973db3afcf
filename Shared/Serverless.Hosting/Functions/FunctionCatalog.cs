using System.Reflection;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;
using Microsoft.Extensions.Configuration;

namespace Serverless.Hosting;

/// <summary>
/// Every function the local host runs: the public <see cref="FunctionAttribute"/> methods of the registered
/// <see cref="FunctionSource"/>s, each with exactly one trigger of the worker SDK (HTTP, blob, timer,
/// orchestration or activity).
/// </summary>
public sealed class FunctionCatalog
{
    public FunctionCatalog(IEnumerable<FunctionSource> sources, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(sources);
        Functions = Discover(sources.SelectMany(s => s.Types).Distinct(), configuration);
    }

    public IReadOnlyList<FunctionDescriptor> Functions { get; }

    public IEnumerable<FunctionDescriptor> WithTrigger<TTrigger>()
        where TTrigger : TriggerBindingAttribute => Functions.Where(f => f.Trigger is TTrigger);

    /// <param name="configuration">Resolves <c>%Setting%</c> references; <c>null</c> leaves them as written.</param>
    public static IReadOnlyList<FunctionDescriptor> Discover(IEnumerable<Type> types, IConfiguration? configuration)
    {
        ArgumentNullException.ThrowIfNull(types);
        var functions = new Dictionary<string, FunctionDescriptor>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
                {
                    continue;
                }

                var descriptor = Describe(function.Name, type, method, configuration);
                if (!functions.TryAdd(descriptor.Name, descriptor))
                {
                    throw new InvalidOperationException(
                        $"Two functions are named '{descriptor.Name}': {functions[descriptor.Name].EntryPoint} and {descriptor.EntryPoint}.");
                }
            }
        }

        return functions.Values.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    private static FunctionDescriptor Describe(string name, Type type, MethodInfo method, IConfiguration? configuration)
    {
        var triggers = method.GetParameters()
            .Select(p => (Parameter: p, Trigger: p.GetCustomAttribute<TriggerBindingAttribute>()))
            .Where(t => t.Trigger is not null)
            .ToList();
        if (triggers.Count != 1)
        {
            throw new InvalidOperationException(
                $"Function '{name}' ({type.FullName}.{method.Name}) must have exactly one trigger parameter; it has {triggers.Count}.");
        }

        var (parameter, trigger) = triggers[0];
        _ = TriggerTypes.Of(trigger!);
        trigger = (trigger, configuration) switch
        {
            (BlobTriggerAttribute blob, not null) => new BlobTriggerAttribute(SettingReferences.Resolve(blob.BlobPath, configuration, name)) { Source = blob.Source, Connection = blob.Connection },
            (TimerTriggerAttribute timer, not null) => new TimerTriggerAttribute(SettingReferences.Resolve(timer.Schedule, configuration, name)) { RunOnStartup = timer.RunOnStartup, UseMonitor = timer.UseMonitor },
            _ => trigger,
        };
        return new FunctionDescriptor(name, type, method, parameter, trigger!);
    }
}
