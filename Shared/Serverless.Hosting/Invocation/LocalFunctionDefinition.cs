using System.Collections.Immutable;
using System.Collections.Concurrent;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Serverless.Hosting.Invocation;

/// <summary>A discovered function as the worker SDK's <see cref="FunctionDefinition"/>: name, entry point, parameters, bindings.</summary>
public sealed class LocalFunctionDefinition : FunctionDefinition
{
    // By reference: the descriptor is a record whose value hash walks its trigger attribute by reflection.
    private static readonly ConcurrentDictionary<FunctionDescriptor, LocalFunctionDefinition> Cache = new(ReferenceEqualityComparer.Instance);

    private LocalFunctionDefinition(FunctionDescriptor function)
    {
        Name = function.Name;
        Id = function.Name;
        EntryPoint = function.EntryPoint;
        PathToAssembly = function.ClassType.Assembly.Location;
        Parameters = [.. function.Method.GetParameters().Select(p => new FunctionParameter(p.Name!, p.ParameterType, p.HasDefaultValue, p.HasDefaultValue ? p.DefaultValue : null))];
        var inputs = ImmutableDictionary.CreateBuilder<string, BindingMetadata>();
        foreach (var parameter in function.Method.GetParameters())
        {
            if (parameter.GetCustomAttributes(typeof(BindingAttribute), inherit: false) is [BindingAttribute binding])
            {
                var type = binding is TriggerBindingAttribute trigger ? TriggerTypes.Of(trigger) : char.ToLowerInvariant(binding.GetType().Name[0]) + binding.GetType().Name[1..].Replace("Attribute", string.Empty, StringComparison.Ordinal);
                inputs[parameter.Name!] = new Binding(parameter.Name!, type, BindingDirection.In);
            }
        }

        InputBindings = inputs.ToImmutable();
        OutputBindings = function.Trigger is HttpTriggerAttribute
            ? ImmutableDictionary<string, BindingMetadata>.Empty.Add("$return", new Binding("$return", "http", BindingDirection.Out))
            : ImmutableDictionary<string, BindingMetadata>.Empty;
    }

    public override ImmutableArray<FunctionParameter> Parameters { get; }

    public override string PathToAssembly { get; }

    public override string EntryPoint { get; }

    public override string Id { get; }

    public override string Name { get; }

    public override IImmutableDictionary<string, BindingMetadata> InputBindings { get; }

    public override IImmutableDictionary<string, BindingMetadata> OutputBindings { get; }

    public static LocalFunctionDefinition For(FunctionDescriptor function) => Cache.GetOrAdd(function, static f => new LocalFunctionDefinition(f));

    private sealed class Binding(string name, string type, BindingDirection direction) : BindingMetadata
    {
        public override string Name { get; } = name;

        public override string Type { get; } = type;

        public override BindingDirection Direction { get; } = direction;
    }
}
