namespace Serverless.Domain.Models;

/// <summary>The kind of prediction a model makes (project spec <c>task</c>).</summary>
public enum TaskKind
{
    Binary,
    Multiclass,
    Regression,
}
