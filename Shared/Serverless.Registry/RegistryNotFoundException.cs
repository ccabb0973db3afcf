namespace Serverless.Registry;

/// <summary>A model, version, alias, project or dataset version that does not exist; the message names it.</summary>
public sealed class RegistryNotFoundException : Exception
{
    public RegistryNotFoundException() { }

    public RegistryNotFoundException(string message) : base(message) { }

    public RegistryNotFoundException(string message, Exception inner) : base(message, inner) { }
}
