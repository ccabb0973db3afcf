using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Serverless.Hosting;

/// <summary>Every function the host runs, discovered from the registered <see cref="FunctionSource"/>s.</summary>
public sealed class FunctionCatalog
{
    public FunctionCatalog(IEnumerable<FunctionSource> sources, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var functions = new Dictionary<string, FunctionDescriptor>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in sources.SelectMany(s => s.Types).Distinct())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
                {
                    continue;
                }

                var descriptor = Describe(function.Name, type, method, configuration);
                if (!functions.TryAdd(descriptor.Name, descriptor))
                {
                    throw new InvalidOperationException(
                        $"Two functions are named '{descriptor.Name}': {functions[descriptor.Name].ClassType.FullName}.{functions[descriptor.Name].Method.Name} and {type.FullName}.{method.Name}.");
                }
            }
        }

        Functions = functions.Values.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<FunctionDescriptor> Functions { get; }

    public IEnumerable<FunctionDescriptor> WithTrigger<TTrigger>()
        where TTrigger : TriggerAttribute => Functions.Where(f => f.Trigger is TTrigger);

    private static FunctionDescriptor Describe(string name, Type type, MethodInfo method, IConfiguration configuration)
    {
        var triggers = method.GetParameters()
            .Select(p => (Parameter: p, Trigger: p.GetCustomAttribute<TriggerAttribute>()))
            .Where(t => t.Trigger is not null)
            .ToList();
        if (triggers.Count != 1)
        {
            throw new InvalidOperationException(
                $"Function '{name}' ({type.FullName}.{method.Name}) must have exactly one trigger parameter ([HttpTrigger], [BlobTrigger] or [TimerTrigger]); it has {triggers.Count}.");
        }

        var (parameter, trigger) = triggers[0];
        trigger = trigger switch
        {
            BlobTriggerAttribute blob => new BlobTriggerAttribute(SettingReferences.Resolve(blob.BlobPath, configuration, name)) { Source = blob.Source },
            TimerTriggerAttribute timer => new TimerTriggerAttribute(SettingReferences.Resolve(timer.Schedule, configuration, name)) { RunOnStartup = timer.RunOnStartup },
            _ => trigger,
        };
        return new FunctionDescriptor(name, type, method, parameter, trigger!);
    }
}
