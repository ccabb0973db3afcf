namespace Serverless.Durable;

/// <summary>The registered name of an orchestrator or activity (compared case-insensitively).</summary>
public readonly record struct TaskName(string Name)
{
    public static implicit operator TaskName(string name) => new(name);

    public static TaskName FromString(string name) => new(name);

    public override string ToString() => Name;
}

/// <summary>Registers a class under an explicit name instead of its class name.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DurableTaskAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
