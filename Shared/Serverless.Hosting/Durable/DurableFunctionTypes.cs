using System.Reflection;

namespace Serverless.Hosting.Durable;

/// <summary>Result types of durable functions' methods (<c>T</c>, <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c>).</summary>
internal static class DurableFunctionTypes
{
    public static Type ResultOf(MethodInfo method)
    {
        var type = method.ReturnType;
        if (type == typeof(void) || type == typeof(Task) || type == typeof(ValueTask))
        {
            return typeof(object);
        }

        return type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? type.GetGenericArguments()[0]
            : type;
    }

    /// <param name="continueOnContext">True for orchestrators, which must resume on the orchestration's context.</param>
    public static async Task<object?> AwaitAsync(object? result, Type declared, bool continueOnContext)
    {
        switch (result)
        {
            case null:
                return null;
            case Task task:
                await task.ConfigureAwait(continueOnContext);
                return declared.IsGenericType ? declared.GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
            default:
                if (declared.IsGenericType && declared.GetGenericTypeDefinition() == typeof(ValueTask<>))
                {
                    var asTask = (Task)declared.GetMethod(nameof(ValueTask<object>.AsTask))!.Invoke(result, null)!;
                    await asTask.ConfigureAwait(continueOnContext);
                    return asTask.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(asTask);
                }

                return result;
        }
    }
}
