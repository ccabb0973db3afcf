using System.Reflection;

namespace Serverless.Hosting;

/// <summary>Where functions are discovered: every public <see cref="FunctionAttribute"/> method of some classes.</summary>
public sealed record FunctionSource(IReadOnlyList<Type> Types)
{
    public static FunctionSource FromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return new(assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false } || (t.IsAbstract && t.IsSealed)).ToList());
    }
}
