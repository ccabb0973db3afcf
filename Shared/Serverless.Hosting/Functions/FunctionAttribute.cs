namespace Serverless.Hosting;

/// <summary>Marks a method as a function named <paramref name="name"/>; one parameter carries its trigger attribute.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class FunctionAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
