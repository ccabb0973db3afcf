namespace Serverless.Hosting.Middleware;

/// <summary>
/// The worker middleware every function runs through, outermost first, on both hosts: the Function App registers
/// them with <c>UseMiddleware</c> in this order and the local host's invoker runs the same classes the same way.
/// </summary>
public static class ProductWorkerMiddleware
{
    public static IReadOnlyList<Type> InOrder { get; } =
    [
        typeof(CorrelationMiddleware),
        typeof(HttpExceptionMiddleware),
        typeof(FunctionKeyMiddleware),
    ];
}
