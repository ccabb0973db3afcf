using System.Reflection;
using Xunit;

namespace Serverless.Functions.Tests;

/// <summary>
/// Function classes are thin adapters over services: no function class takes a storage interface
/// (<c>Serverless.Storage</c>) or an Azure SDK type, in its constructor or in a function's parameters.
/// </summary>
public sealed class FunctionClassDependencyTests
{
    [Fact]
    public void No_function_class_takes_a_storage_interface_or_an_Azure_type()
    {
        var classes = FunctionClasses().ToList();
        Assert.True(classes.Count >= 10, $"Found only {classes.Count} function classes in {string.Join(", ", FunctionAssemblies().Select(a => a.GetName().Name))}.");

        var offences = new List<string>();
        foreach (var type in classes)
        {
            foreach (var constructor in type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            {
                offences.AddRange(constructor.GetParameters()
                    .Where(p => IsForbidden(p.ParameterType))
                    .Select(p => $"{type.FullName} constructor parameter '{p.Name}' is {Describe(p.ParameterType)}"));
            }

            foreach (var method in FunctionMethods(type))
            {
                offences.AddRange(method.GetParameters()
                    .Where(p => IsForbidden(p.ParameterType))
                    .Select(p => $"{type.FullName}.{method.Name} parameter '{p.Name}' is {Describe(p.ParameterType)}"));
            }
        }

        Assert.True(offences.Count == 0, "Function classes must take services, not storage:" + Environment.NewLine + string.Join(Environment.NewLine, offences));
    }

    /// <summary>The function assemblies next to the tests (each <c>Serverless.Functions*</c> one, however many the app is split into).</summary>
    private static IEnumerable<Assembly> FunctionAssemblies() =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, "Serverless.Functions*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => !name!.EndsWith(".Tests", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => Assembly.Load(name!));

    private static IEnumerable<Type> FunctionClasses() =>
        FunctionAssemblies().SelectMany(a => a.GetTypes()).Where(t => t.IsClass && FunctionMethods(t).Any());

    /// <summary>Methods marked with a <c>FunctionAttribute</c> (by simple name: the product's own or the Azure Functions worker's).</summary>
    private static IEnumerable<MethodInfo> FunctionMethods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m.GetCustomAttributesData().Any(a => a.AttributeType.Name == "FunctionAttribute"));

    /// <summary>A type of the storage seam or the Azure SDK, or one built from such types (arrays, generics such as <c>Lazy&lt;IBlobStore&gt;</c>).</summary>
    private static bool IsForbidden(Type type)
    {
        if (type.HasElementType)
        {
            return IsForbidden(type.GetElementType()!);
        }

        var ns = type.Namespace ?? string.Empty;
        return ns == "Serverless.Storage" || ns.StartsWith("Serverless.Storage.", StringComparison.Ordinal)
            || ns == "Azure" || ns.StartsWith("Azure.", StringComparison.Ordinal)
            || (type.IsGenericType && type.GetGenericArguments().Any(IsForbidden));
    }

    private static string Describe(Type type) => $"{type.FullName ?? type.Name} (a storage or Azure type: take the service that owns that data instead)";
}
