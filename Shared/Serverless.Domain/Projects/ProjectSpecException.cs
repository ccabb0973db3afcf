namespace Serverless.Domain.Projects;

/// <summary>A project spec that cannot be used; <see cref="Errors"/> name each bad field.</summary>
public sealed class ProjectSpecException : BadInputException
{
    public ProjectSpecException() : this([]) { }

    public ProjectSpecException(string message) : this([message]) { }

    public ProjectSpecException(string message, Exception inner) : base(message, inner) => Errors = [message];

    public ProjectSpecException(IReadOnlyList<string> errors)
        : base(errors.Count == 0 ? "The project spec is invalid." : "The project spec is invalid: " + string.Join("; ", errors)) =>
        Errors = errors;

    public IReadOnlyList<string> Errors { get; }
}
